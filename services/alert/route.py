"""Routing: who hears about a case at which severity, as roles resolved through the org registry
(never named people). Loading validates the file; ``recipients`` is pure."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from shared.reference import convert, load_yaml
from shared.registry import Registry
from shared.schema.event import AsnRef

Role = Literal["direct_superior", "agency_hr", "ppk", "oversight_body", "election_authority"]


@dataclass(frozen=True, slots=True)
class Level:
    notify: tuple[Role, ...]
    referral: tuple[Role, ...] = ()
    ack_within: str = "72h"


@dataclass(frozen=True, slots=True)
class Routing:
    version: str
    oversight_body: str
    election_authority: str
    levels: dict[Literal["low", "medium", "high"], Level]
    channels: tuple[str, ...] = ("webhook", "log")


def load_routing(path: Path) -> Routing:
    return convert(load_yaml(path), Routing, path)


def recipients(
    asn: AsnRef | None, severity: str, routing: Routing, registry: Registry
) -> tuple[str, ...]:
    """Role addresses for a case, in order of the level's ``notify`` then ``referral`` lists.

    A role that resolves to the case's own subject is skipped (a superior never receives their
    own case); the next role of the level still hears of it.
    """
    level = routing.levels.get(severity)  # type: ignore[call-overload]
    if level is None or asn is None:
        return ()
    found: list[str] = []
    for role in level.notify:
        _add(found, _resolve(role, asn, routing, registry))
    if not found:
        # The subject has no superior (the top of an agency): the discipline unit hears instead.
        _add(found, _resolve("agency_hr", asn, routing, registry))
    for role in level.referral:
        _add(found, _resolve(role, asn, routing, registry))
    return tuple(found)


def _add(found: list[str], address: str | None) -> None:
    if address and address not in found:
        found.append(address)


def _resolve(role: Role, asn: AsnRef, routing: Routing, registry: Registry) -> str | None:
    agency = registry.agencies.get(asn.agency)
    if role == "direct_superior":
        chain = (
            registry.supervisor_chain(asn.employee_id)
            if asn.employee_id in registry.employees
            else []
        )
        return f"supervisor:{chain[0]}" if chain else None
    if role == "agency_hr":
        return f"hr:{agency.hr_unit}" if agency else None
    if role == "ppk":
        if agency is None or agency.ppk == asn.employee_id:
            return None
        return f"ppk:{agency.ppk}"
    if role == "oversight_body":
        return f"oversight:{routing.oversight_body}"
    return f"authority:{routing.election_authority}"
