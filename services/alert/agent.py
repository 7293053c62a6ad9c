"""The alert stream, top to bottom: take a batch of verdicts -> decode -> threshold -> load the
open cases (one Redis round trip) -> apply findings (pure) -> save cases -> produce case changes
-> notify -> record what was sent -> (faust) acknowledge the batch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import faust
from aiokafka import AIOKafkaProducer
from faust.streams import Stream

from services.alert.cases import CaseState, apply_finding, mark_notified
from services.alert.channels.base import Channel
from services.alert.dedup import dedup_key
from services.alert.metrics import AlertMetrics
from services.alert.notify import deliver, render
from services.alert.route import Routing, recipients, start_level
from services.alert.store import CaseStore
from services.alert.threshold import Finding, findings
from shared import codec
from shared.clock import utc_now
from shared.dead_letters import decode_all, reason_kind
from shared.health import Health
from shared.kafka import send_batch
from shared.registry import Registry
from shared.schema import CaseChange, DeadLetter, Verdict
from shared.settings import AlertSettings
from shared.stream import retry_until


@dataclass
class Context:
    settings: AlertSettings
    store: CaseStore
    producer: AIOKafkaProducer
    channels: Sequence[Channel]
    routing: Callable[[], Routing]
    registry: Callable[[], Registry]
    metrics: AlertMetrics
    health: Health


@dataclass
class Outcome:
    states: dict[str, CaseState] = field(default_factory=dict)
    changes: list[CaseChange] = field(default_factory=list)
    counted: list[tuple[str, str]] = field(default_factory=list)
    to_notify: dict[str, tuple[CaseChange | None, Verdict]] = field(default_factory=dict)


def decide(
    found: Sequence[Finding],
    loaded: dict[str, CaseState],
    counted: set[tuple[str, str]],
    now: datetime,
) -> Outcome:
    """Apply findings in order; later findings in the batch see the earlier ones' state."""
    outcome = Outcome()
    current = dict(loaded)
    for finding in found:
        key = dedup_key(finding.verdict.account_id, finding.category)
        state = current.get(key)
        seen = state is not None and (state.case_id, finding.verdict.event_id) in counted
        decision = apply_finding(state, finding, key, seen, now)
        current[key] = outcome.states[key] = decision.state
        pair = (decision.state.case_id, finding.verdict.event_id)
        if pair not in counted:
            counted.add(pair)
            outcome.counted.append(pair)
        if decision.change is not None:
            outcome.changes.append(decision.change)
        if decision.notify:
            outcome.to_notify[key] = (decision.change, finding.verdict)
        else:
            outcome.to_notify.pop(key, None)
    return outcome


async def handle(messages: Sequence[Any], ctx: Context) -> None:
    now = utc_now()
    settings = ctx.settings
    decoded, dead = decode_all(messages, Verdict, "alert", now)
    verdicts = [verdict for _, verdict in decoded]
    ctx.metrics.verdicts.inc(len(verdicts))
    found = [f for v in verdicts for f in findings(v, settings.min_severity)]
    keys = list(dict.fromkeys(dedup_key(f.verdict.account_id, f.category) for f in found))
    loaded = await _retry(ctx, "loading cases", lambda: ctx.store.load(keys))
    pairs = [
        (loaded[dedup_key(f.verdict.account_id, f.category)].case_id, f.verdict.event_id)
        for f in found
        if dedup_key(f.verdict.account_id, f.category) in loaded
    ]
    flags = await _retry(ctx, "checking counted events", lambda: ctx.store.counted(pairs))
    outcome = decide(found, loaded, {p for p, c in zip(pairs, flags, strict=True) if c}, now)

    await _retry(
        ctx, "saving cases", lambda: ctx.store.save(list(outcome.states.values()), outcome.counted)
    )
    await _retry(ctx, "producing case changes", lambda: _produce(ctx, outcome.changes, dead))
    for change in outcome.changes:
        ctx.metrics.cases.labels(change.action).inc()
    for letter in dead:
        ctx.metrics.dead_lettered.labels(reason_kind(letter.reason)).inc()
    await _notify(ctx, outcome)


async def _notify(ctx: Context, outcome: Outcome) -> None:
    sent_states: list[CaseState] = []
    sent_changes: list[CaseChange] = []
    routing, registry = ctx.routing(), ctx.registry()
    for key, (change, verdict) in outcome.to_notify.items():
        state = outcome.states[key]
        to = recipients(state.asn, start_level(state.severity, routing), routing, registry)
        now = utc_now()
        sent, notified = mark_notified(state, to, now, verdict.event_id)
        notification = render(change or notified, to, ctx.settings.case_desk_url)
        results = await deliver(notification, ctx.channels, ctx.settings.webhook_attempts)
        for attempted in results:
            result = "sent" if attempted.delivery.ok else "failed"
            ctx.metrics.notifications.labels(attempted.channel, result).inc()
        if any(a.delivery.ok for a in results):
            received = verdict.event.received_at
            if received is not None:
                ctx.metrics.delivery_seconds.observe((now - received).total_seconds())
            sent_states.append(sent)
            sent_changes.append(notified)
    if sent_states:
        await _retry(ctx, "recording notifications", lambda: ctx.store.save(sent_states, ()))
        await _retry(ctx, "producing notified changes", lambda: _produce(ctx, sent_changes, []))
        ctx.metrics.cases.labels("notified").inc(len(sent_changes))


async def _produce(ctx: Context, changes: Sequence[CaseChange], dead: Sequence[DeadLetter]) -> None:
    kafka = ctx.settings.kafka
    await send_batch(
        ctx.producer, kafka.cases_topic, ((c.account_id.encode(), codec.encode(c)) for c in changes)
    )
    if dead:
        await send_batch(ctx.producer, kafka.dlq_topic, ((None, codec.encode(d)) for d in dead))


async def _retry(ctx: Context, what: str, action: Callable[[], Any]) -> Any:
    box: list[Any] = []

    async def attempt() -> None:
        box[:] = [await action()]

    def on_retry() -> None:
        ctx.metrics.retries.inc()
        ctx.health.stuck()

    await retry_until(attempt, ctx.settings.produce_deadline_s, what, on_retry)
    return box[0]


def register(app: faust.App, ctx: Context) -> None:
    settings = ctx.settings
    verdicts = app.topic(settings.kafka.verdicts_topic, value_type=bytes, key_type=bytes)

    @app.agent(verdicts, name="alert-verdicts")
    async def alert_verdicts(stream: faust.StreamT[bytes]) -> None:
        async for batch in cast(Stream[bytes], stream).take_events(
            settings.batch_max, within=settings.batch_within_s
        ):
            await handle([event.message for event in batch], ctx)
            ctx.health.progress()
