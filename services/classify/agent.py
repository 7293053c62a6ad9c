"""The classify stream, top to bottom: take a batch of raw events -> decode -> classify (pure) ->
encode -> produce verdicts and dead letters -> wait for the broker's acks -> acknowledge the batch
(while the next batch is classified)."""

from __future__ import annotations

import asyncio
import functools
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import faust
from aiokafka import AIOKafkaProducer
from faust.types import EventT

from services.classify.core import classify
from services.classify.metrics import ClassifyMetrics
from services.classify.policy import Policy
from shared import codec
from shared.clock import utc_now
from shared.dead_letters import DlqGuard, decode_all, of_message, reason_kind
from shared.health import Health
from shared.kafka import send_batch
from shared.schema import DeadLetter, Event, Verdict
from shared.settings import ClassifySettings
from shared.stream import BatchingStream, fatal_exit, retry_until


@dataclass
class BatchResult:
    verdicts: list[Verdict]
    dead: list[DeadLetter]


def process_batch(messages: Sequence[Any], policy: Policy, metrics: ClassifyMetrics) -> BatchResult:
    """Decode and classify one batch; invalid messages become dead letters, never exceptions."""
    now = utc_now()
    decoded, dead = decode_all(messages, Event, "classify", now)
    verdicts: list[Verdict] = []
    for message, event in decoded:
        started = time.perf_counter()
        try:
            verdict = classify(event, policy, now)
        except Exception as exc:  # one event must not stall the partition; the guard catches floods
            dead.append(of_message("classify", f"classifier error: {exc!r}", message, now))
            continue
        metrics.core_seconds.observe(time.perf_counter() - started)
        verdicts.append(verdict)
    return BatchResult(verdicts, dead)


def register(
    app: faust.App,
    settings: ClassifySettings,
    policy: Callable[[], Policy],
    producer: AIOKafkaProducer,
    metrics: ClassifyMetrics,
    health: Health,
) -> None:
    kafka = settings.kafka
    events = app.topic(kafka.events_topic, value_type=bytes, key_type=bytes)
    guard = DlqGuard(settings.dlq_guard_ratio, settings.dlq_guard_window)

    def on_retry() -> None:
        metrics.produce_retries.inc()
        health.stuck()

    async def settle(
        stream: BatchingStream, batch: Sequence[EventT[Any]], result: BatchResult
    ) -> None:
        """Deliver one batch's verdicts and dead letters, then acknowledge the batch."""
        await retry_until(
            functools.partial(_deliver, producer, kafka, result),
            settings.produce_deadline_s,
            "producing verdicts",
            on_retry,
        )
        _count(result, metrics)
        health.progress()
        if guard.record(len(result.dead), len(batch)):
            fatal_exit(
                "DLQ guard tripped: most recent messages are invalid",
                ratio=settings.dlq_guard_ratio,
                window=settings.dlq_guard_window,
            )
        await stream.ack_all(batch)

    @app.agent(events, name="classify-events")
    async def classify_events(stream: faust.StreamT[bytes]) -> None:
        # Two batches in hand at most: batch N+1 is classified while batch N's produce acks are
        # on their way. Deliveries still run one after another, so verdicts keep their order
        # and a retried batch holds back the ones behind it.
        batches = cast(BatchingStream, stream)
        delivering: asyncio.Task[None] | None = None
        try:
            async for batch in batches.take_events(
                settings.batch_max, within=settings.batch_within_s, acks=False
            ):
                result = process_batch([event.message for event in batch], policy(), metrics)
                if delivering is not None:
                    await asyncio.shield(delivering)  # a stop must not cut a delivery short
                delivering = asyncio.create_task(settle(batches, batch, result))
        finally:
            # on stop, let the batch in flight finish so its offsets are committed with the rest
            if delivering is not None and not delivering.done():
                await asyncio.shield(delivering)


async def _deliver(producer: AIOKafkaProducer, kafka: Any, result: BatchResult) -> None:
    await send_batch(
        producer,
        kafka.verdicts_topic,
        ((v.account_id.encode(), codec.encode(v)) for v in result.verdicts),
    )
    if result.dead:
        await send_batch(producer, kafka.dlq_topic, ((None, codec.encode(d)) for d in result.dead))


def _count(result: BatchResult, metrics: ClassifyMetrics) -> None:
    """One increment per label value and batch, not per event (a label lookup takes a lock)."""
    metrics.batch_size.observe(len(result.verdicts) + len(result.dead))
    severities = Counter(verdict.severity for verdict in result.verdicts)
    labels = Counter(label for verdict in result.verdicts for label in verdict.labels)
    reasons = Counter(reason_kind(letter.reason) for letter in result.dead)
    for counter, counts in (
        (metrics.classified, severities),
        (metrics.labelled, labels),
        (metrics.dead_lettered, reasons),
    ):
        for value, n in counts.items():
            counter.labels(value).inc(n)
