"""Case transitions, table-driven, with explicit times."""

from datetime import timedelta

import pytest

from services.alert.agent import decide
from services.alert.cases import apply_finding, mark_notified, needs_notice
from services.alert.dedup import dedup_key
from services.alert.threshold import findings

from .factories import T0, verdict

KEY = dedup_key("x-1480021", "partisan_support")


def test_first_finding_opens_a_case_and_notifies() -> None:
    (finding,) = findings(verdict(), "low")
    decision = apply_finding(None, finding, KEY, False, T0)
    assert decision.notify and decision.change is not None
    assert decision.change.action == "opened"
    assert (decision.state.count, decision.state.status, decision.state.severity) == (
        1,
        "open",
        "medium",
    )


def test_repeat_increments_without_a_second_notice() -> None:
    (first,) = findings(verdict("e1"), "low")
    opened = apply_finding(None, first, KEY, False, T0).state
    sent, _ = mark_notified(opened, ("supervisor:ASN-0002",), T0, "e1")
    (second,) = findings(verdict("e2", minutes=5), "low")
    decision = apply_finding(sent, second, KEY, False, T0 + timedelta(minutes=5))
    assert decision.change is not None and decision.change.action == "occurred"
    assert decision.state.count == 2 and decision.state.last_seen == T0 + timedelta(minutes=5)
    assert decision.notify is False


def test_replayed_event_changes_nothing() -> None:
    (first,) = findings(verdict("e1"), "low")
    opened = apply_finding(None, first, KEY, False, T0).state
    sent, _ = mark_notified(opened, (), T0, "e1")
    decision = apply_finding(sent, first, KEY, True, T0 + timedelta(hours=1))
    assert decision.change is None and decision.notify is False and decision.state == sent


def test_rising_severity_notifies_again() -> None:
    (low,) = findings(verdict("e1", {"partisan_support": "low"}), "low")
    sent, _ = mark_notified(apply_finding(None, low, KEY, False, T0).state, (), T0, "e1")
    (high,) = findings(verdict("e2", {"partisan_support": "high"}), "low")
    decision = apply_finding(sent, high, KEY, False, T0)
    assert decision.state.severity == "high" and decision.notify


def test_ids_are_deterministic_for_replays() -> None:
    (finding,) = findings(verdict(), "low")
    one = apply_finding(None, finding, KEY, False, T0)
    two = apply_finding(None, finding, KEY, False, T0 + timedelta(days=1))
    assert one.state.case_id == two.state.case_id
    assert one.change is not None and two.change is not None
    assert one.change.change_id == two.change.change_id


def test_unnotified_open_case_is_notified_on_replay() -> None:
    (finding,) = findings(verdict(), "low")
    opened = apply_finding(None, finding, KEY, False, T0).state
    assert needs_notice(opened)
    assert apply_finding(opened, finding, KEY, True, T0).notify


@pytest.mark.parametrize(
    ("event_ids", "count", "notices"),
    [
        (["e1"], 1, 1),
        (["e1", "e1"], 1, 1),  # the same event twice in one batch
        (["e1", "e2", "e3"], 3, 1),  # a burst: one case, one notice
    ],
)
def test_batch_decisions(event_ids: list[str], count: int, notices: int) -> None:
    found = [f for e in event_ids for f in findings(verdict(e), "low")]
    outcome = decide(found, {}, set(), T0)
    (state,) = outcome.states.values()
    assert state.count == count
    assert len(outcome.to_notify) == notices
    assert [c.action for c in outcome.changes][0] == "opened"


def test_threshold_drops_labels_below_the_minimum() -> None:
    mixed = verdict(labels={"contestant_engagement": "low", "money_politics": "high"})
    assert [f.category for f in findings(mixed, "medium")] == ["money_politics"]
    assert len(findings(mixed, "low")) == 2
