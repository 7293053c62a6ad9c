"""Pipeline health at a glance for the ops feed: events/s, lag, DLQ, notification failures.

Where each number comes from (also sent to the page, in ``sources``):
- rates: the change of the topics' end offsets (the broker's ListOffsets answer) between two
  samples this process takes every ``interval_s``;
- lag: end offset minus the consumer group's committed offset (OffsetFetch), per group;
- DLQ: messages on the dead-letter topic (sum of end offsets), and its rate;
- notification failures: this alert process's own metrics registry, since it started.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError
from prometheus_client import CollectorRegistry

from shared.kafka import make_consumer
from shared.settings import KafkaSettings

log = logging.getLogger(__name__)

SOURCES = {
    "events_per_s": "growth of netral.events.v1 end offsets between two broker samples",
    "verdicts_per_s": "growth of netral.verdicts.v1 end offsets between two broker samples",
    "cases_per_s": "growth of netral.cases.v1 end offsets between two broker samples",
    "lag": "end offset minus committed offset, per consumer group, read from the broker",
    "dlq": "messages on netral.dlq.v1 (end offsets) and their growth",
    "notification_failures": (
        "this alert process's metrics since it started: failed delivery attempts "
        "(netral_alert_notifications_total{result=failed}) and deliveries given up "
        "after the retry budget (case changes delivery_failed)"
    ),
}


@dataclass(frozen=True, slots=True)
class Sample:
    at: float  # time.monotonic()
    wall: datetime
    ends: dict[str, int]  # topic -> sum of end offsets
    lag: dict[str, int | None]  # consumer group -> messages behind


@dataclass
class PipelineSampler:
    kafka: KafkaSettings
    registry: CollectorRegistry
    interval_s: float = 5.0
    idle_s: float = 600.0
    groups: dict[str, str] = field(default_factory=dict)  # group id -> the topic it reads
    samples: list[Sample] = field(default_factory=list)
    _demand: asyncio.Event = field(default_factory=asyncio.Event)
    _sampled: asyncio.Event = field(default_factory=asyncio.Event)
    _last_wanted: float = 0.0

    def __post_init__(self) -> None:
        if not self.groups:
            self.groups = {
                "netral-classify": self.kafka.events_topic,
                "netral-alert": self.kafka.verdicts_topic,
            }

    @property
    def topics(self) -> dict[str, str]:
        k = self.kafka
        return {
            "events": k.events_topic,
            "verdicts": k.verdicts_topic,
            "cases": k.cases_topic,
            "dlq": k.dlq_topic,
        }

    def wanted(self) -> None:
        self._last_wanted = time.monotonic()
        self._demand.set()

    async def first_sample(self, timeout_s: float = 3.0) -> None:
        self.wanted()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._sampled.wait(), timeout_s)

    async def run(self) -> None:
        """Sample only while someone reads the numbers (until ``idle_s`` after the last read)."""
        while True:
            await self._demand.wait()
            sampling = asyncio.create_task(self._sample_until_cancelled())
            try:
                while True:
                    await asyncio.sleep(min(self.idle_s, 5.0))
                    if time.monotonic() - self._last_wanted >= self.idle_s:
                        break
            finally:
                sampling.cancel()
                await asyncio.gather(sampling, return_exceptions=True)
                self.samples = []
                self._sampled.clear()
                self._demand.clear()

    async def _sample_until_cancelled(self) -> None:
        while True:
            try:
                await self._sample_forever()
            except (KafkaError, OSError) as exc:
                log.warning("pipeline sample failed", extra={"data": {"error": repr(exc)}})
                await asyncio.sleep(self.interval_s)

    async def _sample_forever(self) -> None:
        ends = make_consumer(self.kafka, group_id=None)
        groups = {
            g: make_consumer(self.kafka, group_id=g, enable_auto_commit=False) for g in self.groups
        }
        consumers = [ends, *groups.values()]
        try:
            for consumer in consumers:
                await consumer.start()
            while True:
                self.samples = [*self.samples[-1:], await self.take(ends, groups)]
                self._sampled.set()
                await asyncio.sleep(self.interval_s)
        finally:
            for consumer in consumers:
                await consumer.stop()

    async def take(self, ends: AIOKafkaConsumer, groups: dict[str, AIOKafkaConsumer]) -> Sample:
        await ends.topics()
        partitions = {
            topic: [
                TopicPartition(topic, p) for p in sorted(ends.partitions_for_topic(topic) or ())
            ]
            for topic in self.topics.values()
        }
        offsets: dict[TopicPartition, int] = {}
        every = [tp for tps in partitions.values() for tp in tps]
        if every:
            offsets = await ends.end_offsets(every)
        totals = {t: sum(offsets.get(tp, 0) for tp in tps) for t, tps in partitions.items()}
        lag: dict[str, int | None] = {}
        for group, consumer in groups.items():
            tps = partitions.get(self.groups[group], [])
            lag[group] = await _lag(consumer, tps, offsets) if tps else None
        return Sample(time.monotonic(), datetime.now(UTC), totals, lag)

    def report(self) -> dict[str, Any]:
        latest = self.samples[-1] if self.samples else None
        previous = self.samples[-2] if len(self.samples) > 1 else None
        topics = self.topics

        def rate(name: str) -> float | None:
            if latest is None or previous is None or latest.at <= previous.at:
                return None
            grown = latest.ends.get(topics[name], 0) - previous.ends.get(topics[name], 0)
            return round(max(0, grown) / (latest.at - previous.at), 3)

        lag = dict(latest.lag) if latest else {}
        known = [v for v in lag.values() if v is not None]
        return {
            "as_of": (latest.wall if latest else datetime.now(UTC)).isoformat(),
            "sampled_every_s": self.interval_s,
            "events_per_s": rate("events"),
            "verdicts_per_s": rate("verdicts"),
            "cases_per_s": rate("cases"),
            "lag": {"total": sum(known) if known else None, "by_group": lag},
            "dlq": {
                "total": latest.ends.get(topics["dlq"]) if latest else None,
                "per_s": rate("dlq"),
            },
            "notification_failures": self.notification_failures(),
            "sources": SOURCES,
        }

    def notification_failures(self) -> dict[str, Any]:
        by_channel: dict[str, int] = {}
        gave_up = 0
        for metric in self.registry.collect():
            for sample in metric.samples:
                labels = sample.labels
                if (
                    sample.name == "netral_alert_notifications_total"
                    and labels["result"] == "failed"
                ):
                    channel = labels.get("channel", "")
                    by_channel[channel] = by_channel.get(channel, 0) + int(sample.value)
                elif (
                    sample.name == "netral_alert_case_changes_total"
                    and labels.get("action") == "delivery_failed"
                ):
                    gave_up += int(sample.value)
        return {
            "failed_attempts": sum(by_channel.values()),
            "gave_up": gave_up,
            "by_channel": by_channel,
        }


async def _lag(
    consumer: AIOKafkaConsumer,
    partitions: Sequence[TopicPartition],
    ends: dict[TopicPartition, int],
) -> int:
    """The group's committed offsets, read without joining it (assigned, paused: no fetching)."""
    if set(consumer.assignment()) != set(partitions):
        consumer.assign(list(partitions))
        consumer.pause(*partitions)
    behind = 0
    for tp in partitions:
        committed = await consumer.committed(tp)
        behind += max(0, ends.get(tp, 0) - (committed or 0))
    return behind
