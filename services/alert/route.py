"""Routing as versioned configuration: the escalation chain (who, as roles), the routing tree
(which receiver and timers, Alertmanager-style) and the severity raises. Loading validates the
file; every function below the loader is pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from msgspec import Meta

from shared.errors import InvalidReferenceData
from shared.reference import convert, load_yaml
from shared.registry import Registry
from shared.schema.event import AsnRef

Role = Literal["direct_superior", "agency_hr", "ppk", "oversight_body", "election_authority"]
MatchKey = Literal["agency", "unit", "region", "category", "severity", "phase"]
CHANNELS = frozenset({"webhook", "log", "slack", "telegram", "email", "feed"})
Duration = Annotated[str, Meta(pattern=r"^\d+(s|m|h|d)$")]
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def seconds(duration: str) -> float:
    match = re.fullmatch(r"(\d+)([smhd])", duration)
    if match is None:
        raise InvalidReferenceData(f"bad duration {duration!r}: use e.g. 30s, 5m, 24h, 30d")
    return int(match.group(1)) * _UNITS[match.group(2)]


@dataclass(frozen=True, slots=True)
class ChainLevel:
    name: str
    notify: Annotated[tuple[Role, ...], Meta(min_length=1)]
    ack_within: Duration
    referral: tuple[Role, ...] = ()


@dataclass(frozen=True, slots=True)
class Dedup:
    by: tuple[Literal["account_id", "category", "contestant", "unit"], ...] = (
        "account_id",
        "category",
    )
    bucket: Duration | None = None


@dataclass(frozen=True, slots=True)
class Raises:
    repeat_lows: Annotated[int, Meta(ge=2)] = 3
    raise_in_phases: tuple[str, ...] = ("quiet", "voting")


@dataclass(frozen=True, slots=True)
class RouteNode:
    """One node of the tree; unset timers and receiver are inherited from the parent."""

    receiver: str | None = None
    match: dict[MatchKey, tuple[str, ...]] = field(default_factory=dict)
    group_wait: Duration | None = None
    group_interval: Duration | None = None
    repeat_interval: Duration | None = None
    routes: tuple[RouteNode, ...] = ()
    continue_: bool = False


@dataclass(frozen=True, slots=True)
class Receiver:
    name: str
    channels: Annotated[tuple[str, ...], Meta(min_length=1)]


@dataclass(frozen=True, slots=True)
class Routing:
    version: str
    oversight_body: str
    election_authority: str
    chain: Annotated[tuple[ChainLevel, ...], Meta(min_length=1)]
    start_level: dict[Literal["low", "medium", "high"], Annotated[int, Meta(ge=1)]]
    route: RouteNode
    receivers: tuple[Receiver, ...]
    dedup: Dedup = field(default_factory=Dedup)
    escalation: Raises = field(default_factory=Raises)


@dataclass(frozen=True, slots=True)
class Route:
    """Where one case goes: the receiver and its resolved timers (seconds)."""

    receiver: str
    channels: tuple[str, ...]
    group_wait_s: float
    group_interval_s: float
    repeat_interval_s: float
    path: tuple[int, ...]


def load_routing(path: Path) -> Routing:
    raw = load_yaml(path)
    _rename_continue(raw.get("route") if isinstance(raw, dict) else None)
    routing = convert(raw, Routing, path)
    _validate(routing, path)
    return routing


def _rename_continue(node: object) -> None:
    """``continue`` is a Python keyword; the file keeps Alertmanager's spelling."""
    if isinstance(node, dict):
        if "continue" in node:
            node["continue_"] = node.pop("continue")
        for child in node.get("routes") or ():
            _rename_continue(child)


def _validate(routing: Routing, path: Path) -> None:
    names = {r.name for r in routing.receivers}
    for receiver in routing.receivers:
        unknown = set(receiver.channels) - CHANNELS
        if unknown:
            raise InvalidReferenceData(
                f"{path}: receiver {receiver.name}: unknown channels {sorted(unknown)}"
            )
    if routing.route.receiver is None:
        raise InvalidReferenceData(f"{path}: route: the root needs a receiver")
    for level in routing.start_level.values():
        if level > len(routing.chain):
            raise InvalidReferenceData(
                f"{path}: start_level {level} beyond the chain's {len(routing.chain)} levels"
            )
    for node in _walk(routing.route):
        if node.receiver is not None and node.receiver not in names:
            raise InvalidReferenceData(f"{path}: route: unknown receiver {node.receiver!r}")
    root = routing.route
    for name in ("group_wait", "group_interval", "repeat_interval"):
        if getattr(root, name) is None:
            raise InvalidReferenceData(f"{path}: route: the root needs {name}")


def _walk(node: RouteNode) -> list[RouteNode]:
    found = [node]
    for child in node.routes:
        found.extend(_walk(child))
    return found


def match_routes(labels: dict[str, str], routing: Routing) -> list[Route]:
    """Every route a case with these labels takes: depth first, the first matching child wins
    unless it has ``continue``; when no child matches, the node itself is the route."""
    receivers = {r.name: r for r in routing.receivers}
    root = routing.route
    inherited = (root.receiver, root.group_wait, root.group_interval, root.repeat_interval)
    return [
        Route(
            receiver,
            receivers[receiver].channels,
            seconds(wait),
            seconds(interval),
            seconds(repeat),
            path,
        )
        for (receiver, wait, interval, repeat), path in _descend(root, labels, inherited, ())
    ]


def _descend(node: RouteNode, labels: dict[str, str], inherited: tuple, path: tuple[int, ...]):  # type: ignore[no-untyped-def,type-arg]
    settings = tuple(
        mine if mine is not None else theirs
        for mine, theirs in zip(
            (node.receiver, node.group_wait, node.group_interval, node.repeat_interval),
            inherited,
            strict=True,
        )
    )
    found = []
    for index, child in enumerate(node.routes):
        if _matches(child, labels):
            found.extend(_descend(child, labels, settings, (*path, index)))
            if not child.continue_:
                break
    return found or [(settings, path)]


def _matches(node: RouteNode, labels: dict[str, str]) -> bool:
    return all(labels.get(key, "") in allowed for key, allowed in node.match.items())


def start_level(severity: str, routing: Routing) -> int:
    return routing.start_level.get(severity, 1)  # type: ignore[call-overload, no-any-return]


def deadline_s(level: int, routing: Routing) -> float:
    return seconds(routing.chain[min(level, len(routing.chain)) - 1].ack_within)


def recipients(
    asn: AsnRef | None,
    level: int,
    routing: Routing,
    registry: Registry,
    skip: frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    """Role addresses for a case at ``level`` of the chain: its ``notify`` roles, then referrals.

    Nobody receives their own case, and ``skip`` (employees with an open case of their own in the
    same election) is passed over: such a superior's role goes to the next level's people.
    """
    if asn is None:
        return ()
    chain = routing.chain
    level = max(1, min(level, len(chain)))
    found: list[str] = []
    for step in chain[level - 1 :]:
        for role in step.notify:
            _add(found, _resolve(role, asn, routing, registry), asn, skip)
        if found:
            for role in step.referral:
                _add(found, _resolve(role, asn, routing, registry), asn, skip)
            break
    return tuple(found)


def _add(found: list[str], address: str | None, asn: AsnRef, skip: frozenset[str]) -> None:
    if not address or address in found:
        return
    person = address.split(":", 1)[1]
    if address.startswith(("supervisor:", "ppk:")) and (
        person == asn.employee_id or person in skip
    ):
        return
    found.append(address)


def _resolve(role: Role, asn: AsnRef, routing: Routing, registry: Registry) -> str | None:
    agency = registry.agencies.get(asn.agency)
    if role == "direct_superior":
        known = asn.employee_id in registry.employees
        chain = registry.supervisor_chain(asn.employee_id) if known else []
        return f"supervisor:{chain[0]}" if chain else None
    if role == "agency_hr":
        return f"hr:{agency.hr_unit}" if agency else None
    if role == "ppk":
        return f"ppk:{agency.ppk}" if agency else None
    if role == "oversight_body":
        return f"oversight:{routing.oversight_body}"
    return f"authority:{routing.election_authority}"
