"""Silences and inhibition: which notifications are held back. Pure, ``now`` given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from msgspec import Meta

from shared.schema import Case
from shared.schema.verdict import severity_rank

MATCH_KEYS = (
    "account_id",
    "category",
    "severity",
    "agency",
    "unit",
    "region",
    "phase",
    "contestant",
)


@dataclass(frozen=True, slots=True)
class Silence:
    """Mutes notifications for cases whose labels match every matcher, until ``ends_at``."""

    silence_id: str
    matchers: dict[str, Annotated[tuple[str, ...], Meta(min_length=1)]]
    starts_at: datetime
    ends_at: datetime
    author: str
    reason: str
    expired_announced: bool = False


def labels(case: Case) -> dict[str, str]:
    asn = case.asn
    return {
        "account_id": case.account_id,
        "category": case.category,
        "severity": case.severity,
        "agency": asn.agency if asn else "",
        "unit": asn.unit if asn else "",
        "region": asn.region if asn else "",
        "phase": case.phase,
        "contestant": case.contestant,
    }


def active(silence: Silence, now: datetime) -> bool:
    return silence.starts_at <= now < silence.ends_at


def silenced_by(case: Case, silences: Iterable[Silence], now: datetime) -> Silence | None:
    case_labels = labels(case)
    for silence in silences:
        if active(silence, now) and all(
            case_labels.get(key, "") in values for key, values in silence.matchers.items()
        ):
            return silence
    return None


def inhibited_by(case: Case, same_account: Iterable[Case]) -> Case | None:
    """An open high case for the account mutes its lower cases' notifications."""
    if case.severity == "high":
        return None
    for other in same_account:
        if (
            other.case_id != case.case_id
            and other.status in ("open", "acknowledged")
            and severity_rank(other.severity) > severity_rank(case.severity)
            and other.severity == "high"
        ):
            return other
    return None


def expired_unannounced(silences: Iterable[Silence], now: datetime) -> list[Silence]:
    return [s for s in silences if now >= s.ends_at and not s.expired_announced]
