"""Case transitions and timing decisions, table-driven, with explicit times."""

from datetime import timedelta
from pathlib import Path

import pytest

from services.alert.cases import Action, ActionRefused, apply_action, apply_finding, mark_notified
from services.alert.dedup import dedup_key
from services.alert.escalate import escalate, next_due, notify_reason, wake
from services.alert.route import Routing, match_routes
from services.alert.threshold import findings, raised_severity

from .factories import T0, routing, verdict


@pytest.fixture
def tree(tmp_path: Path) -> Routing:
    return routing(tmp_path)


def opened(tree: Routing, **kwargs):  # type: ignore[no-untyped-def]
    (finding,) = findings(verdict(**kwargs), "low")
    return apply_finding(None, finding, dedup_key(finding, tree.dedup), False, T0, tree)


def test_first_finding_opens_a_case_at_its_start_level(tree: Routing) -> None:
    decision = opened(tree)
    case = decision.case
    assert decision.change is not None and decision.change.action == "opened"
    assert (case.count, case.status, case.severity, case.level) == (1, "open", "medium", 2)
    assert case.ack_deadline == T0 + timedelta(hours=2)
    assert case.contestant == "paslon-02" and case.evidence


def test_repeat_counts_and_replay_changes_nothing(tree: Routing) -> None:
    case = opened(tree).case
    (again,) = findings(verdict("e2", minutes=5), "low")
    key = dedup_key(again, tree.dedup)
    later = T0 + timedelta(minutes=5)
    second = apply_finding(case, again, key, False, later, tree)
    assert second.change is not None and second.change.action == "occurred"
    assert second.case.count == 2 and second.case.last_seen == later
    replay = apply_finding(second.case, again, key, True, later, tree)
    assert replay.change is None and replay.case == second.case


def test_dedup_key_separates_contestants_and_buckets(tree: Routing) -> None:
    (a,) = findings(verdict(contestants=("paslon-01",)), "low")
    (b,) = findings(verdict(contestants=("paslon-02",)), "low")
    assert dedup_key(a, tree.dedup) != dedup_key(b, tree.dedup)


@pytest.mark.parametrize(
    ("severity", "phase", "lows_before", "expected"),
    [
        ("low", "campaign", 0, ("low", ())),
        ("low", "campaign", 2, ("medium", ("repeat-lows:3",))),
        ("low", "quiet", 0, ("medium", ("phase:quiet",))),
        ("medium", "voting", 0, ("high", ("phase:voting",))),
        ("high", "quiet", 0, ("high", ())),
        ("low", "quiet", 5, ("high", ("repeat-lows:6", "phase:quiet"))),
    ],
)
def test_domain_raises(tree: Routing, severity, phase, lows_before, expected) -> None:  # type: ignore[no-untyped-def]
    assert raised_severity(severity, phase, lows_before, tree) == expected


@pytest.mark.parametrize(
    ("minutes_after", "setup", "expected"),
    [
        (0, "new", None),  # inside group_wait
        (1, "new", "first"),
        (1, "notified", None),
        (6, "notified+count", "update"),  # past group_interval with a new occurrence
        (3, "notified+count", None),  # still inside group_interval
        (60 * 25, "notified", "repeat"),  # past repeat_interval
        (60 * 25, "acknowledged", None),
        (1, "notified+level", "raised"),
        (1, "resolved", None),
    ],
)
def test_notify_reason(tree: Routing, minutes_after: int, setup: str, expected) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    case = opened(tree).case
    if setup != "new":
        case = mark_notified(case, (), ("log",), T0, "first").case
    if setup == "notified+count":
        case = dataclasses.replace(case, count=2)
    if setup == "notified+level":
        case = dataclasses.replace(case, level=3)
    if setup == "acknowledged":
        case = dataclasses.replace(case, status="acknowledged")
    if setup == "resolved":
        case = dataclasses.replace(case, status="resolved")
    route = match_routes({}, tree)[0]
    assert notify_reason(case, route, T0 + timedelta(minutes=minutes_after)) == expected


def test_unacknowledged_case_climbs_the_chain_and_stops_at_the_top(tree: Routing) -> None:
    case = opened(tree).case  # level 2, deadline +2h
    assert escalate(case, T0 + timedelta(hours=1), tree) is None
    step = escalate(case, T0 + timedelta(hours=2), tree)
    assert step is not None and step.case.level == 3 and step.change is not None
    assert step.change.action == "escalated"
    assert step.case.ack_deadline == T0 + timedelta(hours=2, minutes=30)
    assert escalate(step.case, T0 + timedelta(hours=9), tree) is None


def test_acknowledged_case_does_not_escalate(tree: Routing) -> None:
    case = opened(tree).case
    acked = apply_action(case, Action("acknowledge", "ASN-0006", "saya tangani"), T0, tree).case
    assert acked.status == "acknowledged" and acked.ack_deadline is None
    assert escalate(acked, T0 + timedelta(days=3), tree) is None


def test_snooze_then_wake(tree: Routing) -> None:
    case = opened(tree).case
    until = T0 + timedelta(hours=4)
    snoozed = apply_action(case, Action("snooze", "ASN-0006", until=until), T0, tree).case
    route = match_routes({}, tree)[0]
    assert next_due(snoozed, route) == until
    assert wake(snoozed, T0 + timedelta(hours=3), tree) is None
    woken = wake(snoozed, until, tree)
    assert woken is not None and woken.case.status == "open"
    assert woken.case.ack_deadline == until + timedelta(hours=2)


@pytest.mark.parametrize(
    ("action", "fragment"),
    [
        (Action("resolve", "ASN-0006", "cek"), "outcome"),
        (Action("resolve", "ASN-0006", " ", outcome="false_positive"), "comment"),
        (Action("snooze", "ASN-0006", until=T0 - timedelta(hours=1)), "future"),
        (Action("reassign", "ASN-0006"), "assignee"),
        (Action("reopen", "ASN-0006"), "not resolved"),
        (Action("comment", "ASN-0006"), "text"),
    ],
)
def test_refused_actions_say_why(tree: Routing, action: Action, fragment: str) -> None:
    with pytest.raises(ActionRefused, match=fragment):
        apply_action(opened(tree).case, action, T0, tree)


def test_resolve_and_reopen_record_who_and_why(tree: Routing) -> None:
    case = opened(tree).case
    done = apply_action(
        case,
        Action("resolve", "ASN-0006", "akun bukan milik ASN", outcome="not_asn_account"),
        T0,
        tree,
    )
    assert done.case.status == "resolved" and done.case.outcome == "not_asn_account"
    assert done.change is not None and (done.change.actor, done.change.note) == (
        "ASN-0006",
        "akun bukan milik ASN",
    )
    with pytest.raises(ActionRefused):
        apply_action(done.case, Action("acknowledge", "ASN-0006"), T0, tree)
    again = apply_action(done.case, Action("reopen", "ASN-0004", "dibuka lagi"), T0, tree)
    assert again.case.status == "open" and again.case.outcome is None


def test_a_resolved_key_opens_a_new_case(tree: Routing) -> None:
    case = opened(tree).case
    done = apply_action(case, Action("resolve", "x", "ok", outcome="confirmed"), T0, tree).case
    (finding,) = findings(verdict("e9", minutes=30), "low")
    fresh = apply_finding(done, finding, case.key, False, T0, tree)
    assert fresh.case.case_id != case.case_id and fresh.case.count == 1


def test_threshold_drops_labels_below_the_minimum() -> None:
    mixed = verdict(labels={"contestant_engagement": "low", "money_politics": "high"})
    assert [f.category for f in findings(mixed, "medium")] == ["money_politics"]
    assert len(findings(mixed, "low")) == 2
