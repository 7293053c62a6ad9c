"""``netral replay-dlq``: put dead letters back where they came from, once whatever made them
fail is fixed. Filters choose which; ``--dry-run`` only lists them.

Dead letters keep the original bytes and key, so a replayed message is exactly the one that
failed. Replaying is safe to repeat: ingest's event ids and alert's case and event ids make
a second pass a no-op downstream.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from aiokafka import TopicPartition

from shared import codec
from shared.errors import InvalidMessage
from shared.kafka import make_consumer, make_producer, send_batch
from shared.schema import DeadLetter
from shared.settings import KafkaSettings


@dataclass(frozen=True, slots=True)
class Filter:
    stage: str | None = None
    origin_topic: str | None = None
    reason_contains: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def keeps(self, letter: DeadLetter) -> bool:
        """Pure: does this dead letter pass every filter that is set?"""
        return (
            (self.stage is None or letter.stage == self.stage)
            and (self.origin_topic is None or letter.origin_topic == self.origin_topic)
            and (self.reason_contains is None or self.reason_contains in letter.reason)
            and (self.since is None or letter.at >= self.since)
            and (self.until is None or letter.at < self.until)
        )


def replayable(
    letters: Iterable[DeadLetter], chosen: Filter, kafka: KafkaSettings
) -> list[DeadLetter]:
    """The letters to replay: those the filter keeps, and only from topics a stage consumes
    (a failed notification is not replayed onto the outbox from here)."""
    sources = {kafka.events_topic, kafka.verdicts_topic}
    return [x for x in letters if chosen.keeps(x) and x.origin_topic in sources]


async def read_all(kafka: KafkaSettings, quiet_s: float = 1.5) -> list[DeadLetter]:
    consumer = make_consumer(kafka, group_id=None)
    await consumer.start()
    letters: list[DeadLetter] = []
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(kafka.dlq_topic, p)
            for p in sorted(consumer.partitions_for_topic(kafka.dlq_topic) or ())
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        last = time.monotonic()
        while time.monotonic() - last < quiet_s:
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    try:
                        letters.append(codec.decode(record.value, DeadLetter))
                    except InvalidMessage:
                        continue  # not ours to replay
                last = time.monotonic()
    finally:
        await consumer.stop()
    return letters


async def replay(kafka: KafkaSettings, letters: list[DeadLetter]) -> int:
    producer = make_producer(kafka, "replay-dlq")
    await producer.start()
    try:
        by_topic: dict[str, list[tuple[bytes | None, bytes]]] = {}
        for letter in letters:
            key = base64.b64decode(letter.key_b64) if letter.key_b64 is not None else None
            by_topic.setdefault(letter.origin_topic, []).append(
                (key, base64.b64decode(letter.value_b64))
            )
        for topic, records in by_topic.items():
            await send_batch(producer, topic, records)
    finally:
        await producer.stop()
    return len(letters)
