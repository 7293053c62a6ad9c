"""Timing decisions: when to notify (grouping timers), when a silent level hands
the case up the chain, when a snooze ends. Pure, ``now`` given; mirrors Alertmanager's
``needsUpdate`` and a pager's escalation policy."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Literal

from services.alert.cases import Decision, change
from services.alert.route import Route, Routing, deadline_s
from shared.schema import Case
from shared.schema.verdict import severity_rank

NotifyReason = Literal["first", "raised", "update", "repeat"]


def notify_reason(case: Case, route: Route, now: datetime) -> NotifyReason | None:
    """Why the case should be sent now, or None (like Alertmanager's needsUpdate)."""
    if case.status == "resolved" or (case.status == "snoozed" and not _snooze_over(case, now)):
        return None
    if case.last_notified_at is None:
        ready = case.opened_at + timedelta(seconds=route.group_wait_s)
        return "first" if now >= ready else None
    if severity_rank(case.severity) > severity_rank(case.notified_severity) or (
        case.level > case.notified_level
    ):
        return "raised"
    if case.status == "acknowledged":
        return None
    since = now - case.last_notified_at
    if case.count > case.notified_count and since >= timedelta(seconds=route.group_interval_s):
        return "update"
    if since >= timedelta(seconds=route.repeat_interval_s):
        return "repeat"
    return None


def escalate(case: Case, now: datetime, routing: Routing) -> Decision | None:
    """Hand an unacknowledged case to the next level when its deadline has passed."""
    if case.status != "open" or case.ack_deadline is None or now < case.ack_deadline:
        return None
    if case.level >= len(routing.chain):
        return None
    level = case.level + 1
    moved = dataclasses.replace(
        case,
        level=level,
        level_since=now,
        ack_deadline=now + timedelta(seconds=deadline_s(level, routing)),
    )
    note = f"not acknowledged at level {case.level} by its deadline"
    return Decision(moved, change(moved, "escalated", now, note=note))


def wake(case: Case, now: datetime, routing: Routing) -> Decision | None:
    """End a snooze that has run out: the case is open again with a fresh deadline."""
    if case.status != "snoozed" or not _snooze_over(case, now):
        return None
    woken = dataclasses.replace(
        case,
        status="open",
        snoozed_until=None,
        ack_deadline=now + timedelta(seconds=deadline_s(case.level, routing)),
    )
    return Decision(woken, change(woken, "reopened", now, note="snooze ended"))


def next_due(case: Case, route: Route) -> datetime | None:
    """The earliest moment one of the timers above could fire (for the scheduler)."""
    if case.status == "resolved":
        return None
    moments: list[datetime] = []
    if case.status == "snoozed" and case.snoozed_until is not None:
        return case.snoozed_until
    if case.last_notified_at is None:
        moments.append(case.opened_at + timedelta(seconds=route.group_wait_s))
    elif case.status == "open":
        moments.append(case.last_notified_at + timedelta(seconds=route.group_interval_s))
        moments.append(case.last_notified_at + timedelta(seconds=route.repeat_interval_s))
    if case.ack_deadline is not None and case.status == "open":
        moments.append(case.ack_deadline)
    return min(moments) if moments else None


def _snooze_over(case: Case, now: datetime) -> bool:
    return case.snoozed_until is None or now >= case.snoozed_until
