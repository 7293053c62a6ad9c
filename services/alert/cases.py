"""Case state transitions: what one finding does to the open case for its key. Pure, ``now`` given.

Idempotent by construction: a finding whose event the case already counted changes nothing, and
every id is derived from its inputs, so replaying the verdicts topic reproduces the same changes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from services.alert.dedup import stable_id
from services.alert.threshold import Finding
from shared.schema import CaseChange, Evidence
from shared.schema.case import CaseAction, CaseStatus
from shared.schema.event import AsnRef
from shared.schema.verdict import Severity, severity_rank


@dataclass(frozen=True, slots=True)
class CaseState:
    case_id: str
    key: str
    account_id: str
    category: str
    status: CaseStatus
    severity: Severity
    count: int
    first_seen: datetime
    last_seen: datetime
    first_event_id: str
    notified_severity: Severity = "none"
    asn: AsnRef | None = None
    policy_version: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    state: CaseState
    change: CaseChange | None
    notify: bool


def apply_finding(
    state: CaseState | None, finding: Finding, key: str, already_counted: bool, now: datetime
) -> Decision:
    verdict = finding.verdict
    event = verdict.event
    if state is None or state.status == "resolved":
        opened = CaseState(
            case_id=stable_id(key, verdict.event_id),
            key=key,
            account_id=verdict.account_id,
            category=finding.category,
            status="open",
            severity=finding.severity,
            count=1,
            first_seen=event.created_at,
            last_seen=event.created_at,
            first_event_id=verdict.event_id,
            asn=event.asn,
            policy_version=verdict.policy_version,
        )
        return Decision(opened, _change(opened, "opened", finding, now), notify=True)
    if already_counted:
        return Decision(state, None, notify=needs_notice(state))
    updated = dataclasses.replace(
        state,
        count=state.count + 1,
        severity=max(state.severity, finding.severity, key=severity_rank),
        last_seen=max(state.last_seen, event.created_at),
        policy_version=verdict.policy_version,
    )
    return Decision(
        updated, _change(updated, "occurred", finding, now), notify=needs_notice(updated)
    )


def needs_notice(state: CaseState) -> bool:
    """Notify on opening and whenever the case's severity rose above what was last sent."""
    return state.status != "resolved" and severity_rank(state.severity) > severity_rank(
        state.notified_severity
    )


def mark_notified(
    state: CaseState, recipients: tuple[str, ...], now: datetime, event_id: str
) -> tuple[CaseState, CaseChange]:
    sent = dataclasses.replace(state, notified_severity=state.severity)
    change_id = stable_id(state.case_id, "notified", state.severity)
    return sent, _case_change(state, "notified", change_id, event_id, now, recipients=recipients)


def _change(state: CaseState, action: CaseAction, finding: Finding, now: datetime) -> CaseChange:
    verdict = finding.verdict
    return _case_change(
        state,
        action,
        stable_id(state.case_id, action, verdict.event_id),
        verdict.event_id,
        now,
        evidence=tuple(e for e in verdict.evidence if e.category == finding.category),
    )


def _case_change(
    state: CaseState,
    action: CaseAction,
    change_id: str,
    event_id: str,
    now: datetime,
    evidence: tuple[Evidence, ...] = (),
    recipients: tuple[str, ...] = (),
) -> CaseChange:
    """The case as it stands after ``action``, as one entry of the case log."""
    return CaseChange(
        change_id=change_id,
        case_id=state.case_id,
        action=action,
        at=now,
        account_id=state.account_id,
        category=state.category,  # type: ignore[arg-type]
        severity=state.severity,
        status=state.status,
        count=state.count,
        first_seen=state.first_seen,
        last_seen=state.last_seen,
        event_id=event_id,
        asn=state.asn,
        evidence=evidence,
        recipients=recipients,
        policy_version=state.policy_version,
    )
