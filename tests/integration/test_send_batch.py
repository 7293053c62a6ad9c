"""``send_batch`` fills per-partition batches itself: each record must land where the producer's
own ``send`` would have put it, in order. (The embedded broker refuses idempotent producers, so
that path is Apache Kafka's to check.)"""

from __future__ import annotations

import pytest
from aiokafka import AIOKafkaProducer

from shared.kafka import ensure_topics, make_producer, send_batch
from shared.settings import KafkaSettings
from tests.harness import TopicReader

pytestmark = pytest.mark.integration


async def test_same_partitions_and_order_as_send(kafka_settings: KafkaSettings) -> None:
    kafka = kafka_settings
    batched, single = kafka.events_topic, kafka.verdicts_topic
    await ensure_topics(kafka, [batched, single])
    records = [(f"acct-{n % 37}".encode(), f"value-{n}".encode()) for n in range(3000)]
    producer = make_producer(kafka, "test-send-batch")
    await producer.start()
    try:
        await send_batch(producer, batched, records)
        await _send_one_by_one(producer, single, records)
    finally:
        await producer.stop()
    async with TopicReader(kafka, (batched, single)) as reader:
        await reader.want(lambda r: all(len(r[t]) >= len(records) for t in r), within_s=30)

    def placed(topic: str) -> dict[int, list[bytes]]:
        by_partition: dict[int, list[bytes]] = {}
        for record in sorted(reader.records[topic], key=lambda r: (r.partition, r.offset)):
            by_partition.setdefault(record.partition, []).append(record.value)
        return by_partition

    assert placed(batched) == placed(single)
    assert sum(len(v) for v in placed(batched).values()) == len(records)


async def _send_one_by_one(
    producer: AIOKafkaProducer, topic: str, records: list[tuple[bytes, bytes]]
) -> None:
    for key, value in records:
        await producer.send(topic, value, key=key)
    await producer.flush()
