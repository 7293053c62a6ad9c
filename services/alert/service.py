"""The alert service's moving parts around the pure decisions, in flow order:

1. ``handle_verdicts``: a batch of verdicts -> findings -> (locked) open cases -> decisions ->
   case log (Kafka, the record) -> Redis view and timers;
2. ``run_timers``: a batch of due timers -> (locked) wake / escalate / notify-or-not -> case
   log -> view -> outbox (the dispatcher sends, apart from the stream);
3. ``act``: a person's action on a case, the same way;
4. ``announce_expired_silences``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaProducer

from services.alert.cases import Action, Decision, apply_action, apply_finding, mark_notified
from services.alert.channels.base import Channel, Notification
from services.alert.dedup import dedup_key
from services.alert.escalate import escalate, next_due, notify_reason, wake
from services.alert.metrics import AlertMetrics
from services.alert.notify import render
from services.alert.outbox import Outbox
from services.alert.route import Route, Routing, match_routes, recipients
from services.alert.silence import (
    Silence,
    expired_unannounced,
    inhibited_by,
    labels,
    silenced_by,
)
from services.alert.store import CaseStore, TimerReads, epoch
from services.alert.threshold import Finding, findings
from shared import codec
from shared.clock import utc_now
from shared.dead_letters import decode_all, reason_kind
from shared.kafka import send_batch
from shared.registry import Registry
from shared.schema import Case, CaseChange, DeadLetter, Verdict
from shared.settings import AlertSettings

log = logging.getLogger(__name__)
TIMER_BATCH = 200
TIMER_LOCK_ROUNDS = 4


@dataclass
class Alerting:
    settings: AlertSettings
    store: CaseStore
    outbox: Outbox
    producer: AIOKafkaProducer
    routing: Callable[[], Routing]
    registry: Callable[[], Registry]
    metrics: AlertMetrics
    channels: Mapping[str, Channel]

    # -- 1. verdicts -----------------------------------------------------------------------------

    async def handle_verdicts(self, messages: Sequence[Any]) -> list[str]:
        """Returns the ids of the batch's cases whose timer is already due (a zero group wait),
        for :meth:`fire_now`."""
        now = utc_now()
        decoded, dead = decode_all(messages, Verdict, "alert", now)
        self.metrics.verdicts.inc(len(decoded))
        routing = self.routing()
        found = [
            (dedup_key(f, routing.dedup), f)
            for _, verdict in decoded
            for f in findings(verdict, self.settings.min_severity)
        ]
        changes: list[CaseChange] = []
        counted: list[tuple[str, str]] = []
        async with self.store.locked(k for k, _ in found):
            loaded = await self.store.load(
                list(dict.fromkeys(k for k, _ in found)),
                [(k, f.verdict.event_id) for k, f in found],
                list(dict.fromkeys(_employee(f) for _, f in found)),
            )
            cases = dict(loaded.cases)
            seen = set(loaded.counted)
            lows = dict(loaded.lows)
            for key, finding in found:
                case = cases.get(key)
                pair_key = (key, finding.verdict.event_id)
                was_counted = case is not None and pair_key in seen
                decision = apply_finding(
                    case, finding, key, was_counted, now, routing, lows.get(_employee(finding), 0)
                )
                cases[key] = decision.case
                seen.add(pair_key)
                if decision.change is not None:
                    changes.append(decision.change)
                    counted.append((decision.case.case_id, finding.verdict.event_id))
                    if decision.change.action == "opened" and decision.case.severity == "low":
                        lows[_employee(finding)] = lows.get(_employee(finding), 0) + 1
            logged = await self.record(changes, dead)
            due = {
                c.case_id: epoch(next_due(c, self._route(c, routing)[0])) for c in cases.values()
            }
            await self.store.save(changes, counted, due, logged)
        for entry in changes:
            self.metrics.cases.labels(entry.action).inc()
        for letter in dead:
            self.metrics.dead_lettered.labels(reason_kind(letter.reason)).inc()
        touched = {entry.case.case_id for entry in changes}
        return [i for i, when in due.items() if i in touched and _is_due(when, now.timestamp())]

    # -- 2. timers -------------------------------------------------------------------------------

    async def fire_now(self, case_ids: Sequence[str]) -> None:
        """Fire timers that are already due without waiting for the timer loop's next tick
        (called right after :meth:`handle_verdicts`). A failure is only logged: the timers are
        still scheduled, so the loop fires them."""
        try:
            await self._run_timers(case_ids)
        except Exception:
            log.exception("firing due timers failed; the timer loop retries them")

    async def run_timers(self) -> int:
        """Process every case whose timer has passed; return how many."""
        claimed = await self.store.claim_due(utc_now().timestamp())
        for first in range(0, len(claimed), TIMER_BATCH):
            await self._run_timers(claimed[first : first + TIMER_BATCH])
        await self.announce_expired_silences()
        return len(claimed)

    async def _run_timers(self, case_ids: Sequence[str]) -> None:
        """Fire the timers whose case locks are free now; retry the others briefly, then put
        them back on the schedule (a verdict batch holding a lock must not hold up the rest)."""
        waiting = await self.store.get_many(case_ids)
        for attempt in range(TIMER_LOCK_ROUNDS):
            async with self.store.locked_free(c.key for c in waiting.values()) as held:
                ready = [c for c in waiting.values() if c.key in held]
                if ready:
                    await self._fire_timers(ready)
            waiting = {i: c for i, c in waiting.items() if c.key not in held}
            if not waiting:
                return
            await asyncio.sleep(0.005 * 2**attempt)
        await self.store.retry_soon(waiting, utc_now().timestamp())

    async def _fire_timers(self, waiting: Sequence[Case]) -> None:
        """Timers whose locks are held, in a fixed number of round trips whatever their count:
        re-read with what notices need, decide (pure), case log, view, outbox."""
        reads = await self.store.load_for_timers(
            [c.case_id for c in waiting],
            list({c.account_id for c in waiting}),
            list({c.election_id for c in waiting}),
        )
        cases = dict(reads.cases)
        now = utc_now()
        routing = self.routing()
        changes: list[CaseChange] = []
        queued = self._decide_timers(list(cases.values()), cases, reads, now, routing, changes)
        logged = await self.record(changes, ())
        await self.store.save(
            changes,
            (),
            {i: epoch(next_due(c, self._route(c, routing)[0])) for i, c in cases.items()},
            logged,
        )
        await self.outbox.enqueue_many(queued)
        self.metrics.cases.labels("notified").inc(len(queued))

    def _decide_timers(
        self,
        firing: Sequence[Case],
        current: dict[str, Case],
        reads: TimerReads,
        now: datetime,
        routing: Routing,
        changes: list[CaseChange],
    ) -> list[tuple[Notification, tuple[str, ...]]]:
        """Wake, escalate, then notify-or-not each case (pure, with what ``reads`` holds);
        ``current`` is updated to each case's new state and ``changes`` gets the entries."""
        due: list[tuple[Case, str, tuple[str, ...]]] = []
        for case in firing:
            case = self._wake_and_escalate(case, now, routing, changes)
            current[case.case_id] = case
            route, channels = self._route(case, routing)
            reason = notify_reason(case, route, now)
            if reason is not None:
                due.append((case, reason, channels))
        return self._notices(due, current, reads, now, routing, changes)

    def _wake_and_escalate(
        self, case: Case, now: datetime, routing: Routing, changes: list[CaseChange]
    ) -> Case:
        for step in (wake, escalate):
            decision = step(case, now, routing)
            if decision is not None and decision.change is not None:
                case = decision.case
                changes.append(decision.change)
                self.metrics.cases.labels(decision.change.action).inc()
        return case

    def _notices(
        self,
        due: Sequence[tuple[Case, str, tuple[str, ...]]],
        current: dict[str, Case],
        reads: TimerReads,
        now: datetime,
        routing: Routing,
        changes: list[CaseChange],
    ) -> list[tuple[Notification, tuple[str, ...]]]:
        """Mark each due case notified (or muted) and render what to send; the batch's own
        cases count as they stand after waking and escalating."""
        queued: list[tuple[Notification, tuple[str, ...]]] = []
        by_account: dict[str, dict[str, Case]] = {}
        for other in current.values():
            by_account.setdefault(other.account_id, {})[other.case_id] = other
        for case, reason, channels in due:
            stored = {c.case_id: c for c in reads.inhibitors[case.account_id]}
            same_account = {**stored, **by_account.get(case.account_id, {})}.values()
            context = (silenced_by(case, reads.silences, now), inhibited_by(case, same_account))
            skip = reads.open_employees[case.election_id] | _open_employees(
                current.values(), case.election_id
            )
            noticed, notification, entry = self._notice(
                case, reason, channels, now, routing, context, skip
            )
            current[case.case_id] = noticed
            changes.append(entry)
            if notification is not None:
                queued.append((notification, channels))
        return queued

    def _notice(
        self,
        case: Case,
        reason: str,
        channels: tuple[str, ...],
        now: datetime,
        routing: Routing,
        muted: tuple[Silence | None, Case | None],
        skip: frozenset[str],
    ) -> tuple[Case, Notification | None, CaseChange]:
        silence, inhibitor = muted
        subject = case.asn.employee_id if case.asn else ""
        to = recipients(case.asn, case.level, routing, self.registry(), skip - {subject})
        if silence is not None or inhibitor is not None:
            why = (
                f"muted by silence {silence.silence_id} ({silence.reason})"
                if silence is not None
                else f"inhibited by open high case {inhibitor.case_id}"  # type: ignore[union-attr]
            )
            decision = mark_notified(case, to, (), now, why)
            return decision.case, None, decision.change  # type: ignore[return-value]
        decision = mark_notified(case, to, channels, now, reason)
        entry = decision.change
        assert entry is not None
        return decision.case, render(entry, to, self.settings.case_desk_url), entry

    def _route(self, case: Case, routing: Routing) -> tuple[Route, tuple[str, ...]]:
        routes = match_routes(labels(case), routing)
        channels = tuple(dict.fromkeys(c for r in routes for c in r.channels))
        if self.channels:
            # A route may name a channel this deployment has not configured (no webhook URL, say):
            # main warns about it at start; queueing for it would only fill the dead-letter topic.
            # Operator tools run with no channels and leave the choice to the running service.
            channels = tuple(c for c in channels if c in self.channels)
        return routes[0], channels

    # -- 3. actions ------------------------------------------------------------------------------

    async def act(self, case_id: str, action: Action) -> CaseChange:
        """Apply a person's action; raises ActionRefused or KeyError (unknown case)."""
        case = await self.store.get(case_id)
        if case is None:
            raise KeyError(case_id)
        async with self.store.locked([case.key]):
            current = await self.store.get(case_id)
            assert current is not None
            now = utc_now()
            routing = self.routing()
            decision: Decision = apply_action(current, action, now, routing)
            entry = decision.change
            assert entry is not None
            route, channels = self._route(decision.case, routing)
            await self.record([entry], ())
            await self.store.save([entry], (), {case_id: epoch(next_due(decision.case, route))})
        self.metrics.cases.labels(entry.action).inc()
        if entry.action == "resolved":
            self.metrics.resolved.labels(entry.case.outcome or "").inc()
        if entry.action == "resolved" and current.last_notified_at is not None:
            # Whoever heard of the case hears promptly that it was closed, and how.
            to = recipients(current.asn, current.level, routing, self.registry())
            await self.outbox.enqueue(render(entry, to, self.settings.case_desk_url), channels)
        return entry

    # -- 4. silences -----------------------------------------------------------------------------

    async def announce_expired_silences(self) -> None:
        now = utc_now()
        for silence in expired_unannounced(await self.store.silences(), now):
            routing = self.routing()
            root = routing.route.receiver or ""
            channels = next((r.channels for r in routing.receivers if r.name == root), ())
            text = (
                f"silence {silence.silence_id} by {silence.author} expired ({silence.reason}); "
                "matching cases notify again"
            )
            log.info("silence expired", extra={"data": {"silence": silence.silence_id}})
            for name in channels:
                channel = self.channels.get(name)
                if channel is not None and hasattr(channel, "notice"):
                    await channel.notice(text)
            await self.store.put_silence(
                type(silence)(**{**_fields(silence), "expired_announced": True})
            )

    # -- the record ------------------------------------------------------------------------------

    async def record(
        self, changes: Sequence[CaseChange], dead: Sequence[DeadLetter]
    ) -> list[bytes]:
        """Send the changes to the case log (and dead letters to the DLQ); returns the changes
        as encoded, for the view's timelines."""
        kafka = self.settings.kafka
        encoded = [codec.encode(c) for c in changes]
        await send_batch(
            self.producer,
            kafka.cases_topic,
            ((c.account_id.encode(), blob) for c, blob in zip(changes, encoded, strict=True)),
        )
        if dead:
            await send_batch(
                self.producer, kafka.dlq_topic, ((None, codec.encode(d)) for d in dead)
            )
        return encoded


def _is_due(moment: float | None, now: float) -> bool:
    return moment is not None and moment <= now


def _open_employees(cases: Iterable[Case], election_id: str) -> frozenset[str]:
    return frozenset(
        c.asn.employee_id if c.asn else c.account_id
        for c in cases
        if c.election_id == election_id and c.status != "resolved"
    )


def _employee(finding: Finding) -> tuple[str, str]:
    verdict = finding.verdict
    asn = verdict.event.asn
    return (asn.employee_id if asn else verdict.account_id, verdict.election_id)


def _fields(value: Any) -> dict[str, Any]:
    return {name: getattr(value, name) for name in value.__dataclass_fields__}
