"""The desk's in-memory side of the case-log tail: the index keeps the newest state of each case
(without its evidence), and a stream reader that stops reading is let go instead of piling up."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

from services.alert.cases import Action, apply_action, apply_finding
from services.alert.desk.live import QUEUE_SIZE, CaseFeed, Change
from services.alert.threshold import findings
from shared.schema import CaseChange
from shared.settings import KafkaSettings
from tests.unit.alert.factories import T0, routing, verdict


def feed() -> CaseFeed:
    store: Any = None  # the in-memory parts never touch the store
    return CaseFeed(KafkaSettings(), store, ttl_s=10**9)


def changes(tmp_path: Path) -> tuple[CaseChange, CaseChange]:
    plan = routing(tmp_path)
    opened = apply_finding(None, findings(verdict(), "low")[0], "k", False, T0, plan)
    acked = apply_action(opened.case, Action("acknowledge", "me"), T0 + timedelta(minutes=1), plan)
    assert opened.change is not None and acked.change is not None
    return opened.change, acked.change


def test_the_index_keeps_the_newest_state_without_evidence(tmp_path: Path) -> None:
    opened, acked = changes(tmp_path)
    live = feed()
    live.apply(acked)
    live.apply(opened)  # the log echo of an older change, after the desk applied a newer one
    (kept,) = live.cases()
    assert kept.status == "acknowledged" and kept.evidence == ()
    assert live.index[acked.case_id].updated_at == acked.at


def test_every_subscriber_gets_each_change_and_none_when_closed(tmp_path: Path) -> None:
    opened, _ = changes(tmp_path)
    live = feed()
    first, second = live.subscribe(), live.subscribe()
    live.publish(Change(opened, "0-1"))
    assert first.get_nowait() == second.get_nowait() == Change(opened, "0-1")
    live.unsubscribe(second)
    live.publish(Change(opened, "0-2"))
    assert second.empty() and first.get_nowait().position == "0-2"  # type: ignore[union-attr]
    live.close()
    assert first.get_nowait() is None


def test_a_reader_that_falls_behind_is_ended(tmp_path: Path) -> None:
    opened, _ = changes(tmp_path)
    live = feed()
    slow = live.subscribe()
    for offset in range(QUEUE_SIZE + 1):
        live.publish(Change(dataclasses.replace(opened), f"0-{offset}"))
    items = [slow.get_nowait() for _ in range(slow.qsize())]
    assert items[-1] is None and len(items) == QUEUE_SIZE
    live.publish(Change(opened, "0-x"))
    assert slow.empty()  # no longer subscribed
