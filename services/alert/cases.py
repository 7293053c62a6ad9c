"""Case transitions: what a finding or a person's action does to a case. Pure, ``now`` given.

Idempotent by construction: a finding whose event the case already counted changes nothing, and
every id is derived from its inputs, so replaying the verdicts topic reproduces the same changes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from services.alert.dedup import stable_id
from services.alert.route import Routing, deadline_s, start_level
from services.alert.threshold import Finding, raised_severity
from shared.schema import Case, CaseChange
from shared.schema.case import CaseAction, Outcome
from shared.schema.verdict import severity_rank

ActionKind = Literal["acknowledge", "comment", "reassign", "snooze", "resolve", "reopen"]


class ActionRefused(ValueError):
    """A case action that does not apply to the case as it stands (the message says why)."""


@dataclass(frozen=True, slots=True)
class Decision:
    case: Case
    change: CaseChange | None


@dataclass(frozen=True, slots=True)
class Action:
    kind: ActionKind
    actor: str
    comment: str = ""
    assignee: str | None = None
    until: datetime | None = None
    outcome: Outcome | None = None


def apply_finding(
    case: Case | None,
    finding: Finding,
    key: str,
    counted: bool,
    now: datetime,
    routing: Routing,
    lows_before: int = 0,
) -> Decision:
    """Open a case for a new key (or after the last one was resolved), else count the repeat.

    ``lows_before`` is how many low cases this employee already has in the election: the
    domain's repeat rule raises the next one.
    """
    verdict = finding.verdict
    event = verdict.event
    severity, raised_by = raised_severity(finding.severity, verdict.phase, lows_before, routing)
    evidence = tuple(e for e in verdict.evidence if e.category == finding.category)
    if case is None or case.status == "resolved":
        level = start_level(severity, routing)
        opened = Case(
            case_id=stable_id(key, verdict.event_id),
            key=key,
            account_id=verdict.account_id,
            category=finding.category,  # type: ignore[arg-type]
            status="open",
            severity=severity,
            count=1,
            first_seen=event.created_at,
            last_seen=event.created_at,
            opened_at=now,
            first_event_id=verdict.event_id,
            last_event_id=verdict.event_id,
            level=level,
            level_since=now,
            ack_deadline=now + timedelta(seconds=deadline_s(level, routing)),
            asn=event.asn,
            contestant=verdict.contestants[0] if verdict.contestants else "",
            election_id=verdict.election_id,
            phase=verdict.phase,
            policy_version=verdict.policy_version,
            evidence=evidence,
            raised_by=raised_by,
            last_received_at=event.received_at,
        )
        return Decision(opened, change(opened, "opened", now, event_id=verdict.event_id))
    if counted:
        return Decision(case, None)
    higher = max(case.severity, severity, key=severity_rank)
    level = max(case.level, start_level(higher, routing))
    updated = dataclasses.replace(
        case,
        count=case.count + 1,
        severity=higher,
        last_seen=max(case.last_seen, event.created_at),
        last_event_id=verdict.event_id,
        evidence=evidence or case.evidence,
        policy_version=verdict.policy_version,
        raised_by=tuple(dict.fromkeys((*case.raised_by, *raised_by))),
        last_received_at=event.received_at or case.last_received_at,
    )
    if level != case.level:
        updated = _moved_to(updated, level, now, routing)
    return Decision(updated, change(updated, "occurred", now, event_id=verdict.event_id))


def apply_action(case: Case, action: Action, now: datetime, routing: Routing) -> Decision:
    """A person's action on a case; raises :class:`ActionRefused` when it does not apply."""
    resolved = case.status == "resolved"
    if action.kind != "comment" and action.kind != "reopen" and resolved:
        raise ActionRefused(f"case {case.case_id} is resolved; reopen it first")
    if action.kind == "acknowledge":
        updated = dataclasses.replace(
            case,
            status="acknowledged",
            acknowledged_by=action.actor,
            ack_deadline=None,
            snoozed_until=None,
        )
        verb: CaseAction = "acknowledged"
    elif action.kind == "comment":
        if not action.comment.strip():
            raise ActionRefused("a comment needs text")
        updated, verb = case, "commented"
    elif action.kind == "reassign":
        if not action.assignee:
            raise ActionRefused("reassign needs an assignee")
        updated, verb = dataclasses.replace(case, assignee=action.assignee), "reassigned"
    elif action.kind == "snooze":
        if action.until is None or action.until <= now:
            raise ActionRefused("snooze needs a time in the future")
        updated = dataclasses.replace(
            case, status="snoozed", snoozed_until=action.until, ack_deadline=None
        )
        verb = "snoozed"
    elif action.kind == "resolve":
        if action.outcome is None:
            raise ActionRefused("resolve needs an outcome")
        if not action.comment.strip():
            raise ActionRefused("resolve needs a comment saying why")
        updated = dataclasses.replace(
            case, status="resolved", outcome=action.outcome, ack_deadline=None, snoozed_until=None
        )
        verb = "resolved"
    else:
        if not resolved:
            raise ActionRefused(f"case {case.case_id} is not resolved")
        updated = dataclasses.replace(
            case,
            status="open",
            outcome=None,
            acknowledged_by=None,
            level_since=now,
            ack_deadline=now + timedelta(seconds=deadline_s(case.level, routing)),
        )
        verb = "reopened"
    return Decision(updated, change(updated, verb, now, actor=action.actor, note=action.comment))


def mark_notified(
    case: Case, recipients: tuple[str, ...], channels: tuple[str, ...], now: datetime, note: str
) -> Decision:
    """Record that the case as it stands was sent (called after delivery was queued)."""
    sent = dataclasses.replace(
        case,
        notified_severity=case.severity,
        notified_level=case.level,
        notified_count=case.count,
        last_notified_at=now,
    )
    return Decision(
        sent,
        change(sent, "notified", now, note=note, recipients=recipients, channels=channels),
    )


def _moved_to(case: Case, level: int, now: datetime, routing: Routing) -> Case:
    deadline = now + timedelta(seconds=deadline_s(level, routing))
    return dataclasses.replace(case, level=level, level_since=now, ack_deadline=deadline)


def change(
    case: Case,
    action: CaseAction,
    now: datetime,
    *,
    event_id: str = "",
    actor: str = "netral-alert",
    note: str = "",
    recipients: tuple[str, ...] = (),
    channels: tuple[str, ...] = (),
) -> CaseChange:
    """One case-log entry; its id is derived from what it records, so replays repeat it."""
    identity = (
        event_id or f"{case.count}|{case.level}|{case.severity}|{case.status}|{now.isoformat()}"
    )
    return CaseChange(
        change_id=stable_id(case.case_id, action, identity),
        action=action,
        at=now,
        case=case,
        actor=actor,
        note=note,
        event_id=event_id,
        recipients=recipients,
        channels=channels,
    )
