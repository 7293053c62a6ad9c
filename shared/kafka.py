"""Kafka helpers shared by every service: producer and consumer factories, topic creation, and
the faust app factory with the settings the embedded broker and low latency need."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.partitioner import DefaultPartitioner, murmur2

from shared import topics
from shared.settings import KafkaSettings

log = logging.getLogger(__name__)
_PARTITIONER = DefaultPartitioner()


def make_producer(kafka: KafkaSettings, client_id: str) -> AIOKafkaProducer:
    """acks=all always; idempotence unless the broker cannot do it (see KafkaSettings)."""
    return AIOKafkaProducer(
        bootstrap_servers=kafka.bootstrap,
        client_id=f"{kafka.client_id_prefix}-{client_id}",
        acks="all",
        enable_idempotence=kafka.idempotent,
        linger_ms=kafka.linger_ms,
        max_batch_size=kafka.max_batch_bytes,
        max_request_size=max(kafka.max_batch_bytes, 1_048_576),
        compression_type=None,
        request_timeout_ms=kafka.request_timeout_ms,
    )


def make_consumer(
    kafka: KafkaSettings, *topic_names: str, group_id: str | None, **overrides: Any
) -> AIOKafkaConsumer:
    options: dict[str, Any] = {
        "bootstrap_servers": kafka.bootstrap,
        "client_id": f"{kafka.client_id_prefix}-{group_id or 'reader'}",
        "group_id": group_id,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "fetch_max_wait_ms": kafka.fetch_max_wait_ms,
        "max_partition_fetch_bytes": kafka.fetch_partition_bytes,
        "fetch_max_bytes": kafka.fetch_max_bytes,
        "session_timeout_ms": int(kafka.session_timeout_s * 1000),
        "heartbeat_interval_ms": int(kafka.heartbeat_interval_s * 1000),
    }
    options.update(overrides)
    return AIOKafkaConsumer(*topic_names, **options)


async def ensure_topics(
    kafka: KafkaSettings, names: Iterable[str] | None = None, *, timeout_s: float = 30.0
) -> list[str]:
    """Create the named topics (default: all of the registry) if missing; return those created."""
    wanted = list(names) if names is not None else topics.names(kafka)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap, request_timeout_ms=10_000)
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        try:
            await admin.start()
            break
        except KafkaError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.2)
    try:
        existing = set(await admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        if missing:
            new = [
                NewTopic(
                    name, kafka.partitions, kafka.replication, topic_configs=_configs(name, kafka)
                )
                for name in missing
            ]
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(new)
            log.info("created topics", extra={"data": {"topics": missing}})
        return missing
    finally:
        await admin.close()


def _configs(name: str, kafka: KafkaSettings) -> dict[str, str]:
    """The case log is the system of record Redis is rebuilt from: it is kept forever."""
    return {"retention.ms": "-1"} if name == kafka.cases_topic else {}


async def send_batch(
    producer: AIOKafkaProducer, topic: str, records: Iterable[tuple[bytes | None, bytes]]
) -> None:
    """Send every record, then wait for all acknowledgements.

    Records go straight into one batch per partition (the partition the default partitioner
    gives their key, as ``send`` would choose), so a batch of N records costs a few awaits, not
    N. Raises the first delivery error; callers decide whether to retry the whole batch.
    """
    partitions = sorted(await producer.partitions_for(topic))
    builders: dict[int, Any] = {}
    futures: list[asyncio.Future[Any]] = []
    for key, value in records:
        partition = _partition(key, partitions)
        batch = builders.get(partition)
        if batch is None:
            batch = builders[partition] = producer.create_batch()
        if batch.append(key=key, value=value, timestamp=None) is None:
            futures.append(await _submit(producer, batch, topic, partition))
            batch = builders[partition] = producer.create_batch()
            if batch.append(key=key, value=value, timestamp=None) is None:
                raise ValueError(f"a record of {len(value)} bytes exceeds the batch size")
    for partition, batch in builders.items():
        if batch.record_count():
            futures.append(await _submit(producer, batch, topic, partition))
    if futures:
        await asyncio.gather(*futures)


def _partition(key: bytes | None, partitions: list[int]) -> int:
    """The partition ``DefaultPartitioner`` gives ``key``, with each key's hash remembered."""
    if key is None:
        return int(_PARTITIONER(key, partitions, partitions))
    return partitions[_key_hash(key) % len(partitions)]


# murmur2 is pure Python in aiokafka (about a fifth of send_batch); keys (account ids) repeat.
@functools.lru_cache(maxsize=100_000)
def _key_hash(key: bytes) -> int:
    return int(murmur2(key)) & 0x7FFFFFFF


async def _submit(
    producer: AIOKafkaProducer, batch: Any, topic: str, partition: int
) -> asyncio.Future[Any]:
    future: asyncio.Future[Any] = await producer.send_batch(batch, topic, partition=partition)
    # With the explicit batch API aiokafka hands the batch's outcome to the caller behind a
    # shield, and the shield stops reading it once the caller gives up (a publish timeout), so a
    # later failure would be logged as "Future exception was never retrieved". Read it here; no
    # await since send_batch, so ours is the last batch queued for the partition.
    queued = producer._message_accumulator._batches.get(TopicPartition(topic, partition))
    if queued:
        queued[-1].future.add_done_callback(_read_outcome)
    future.add_done_callback(_read_outcome)
    return future


def _read_outcome(future: asyncio.Future[Any]) -> None:
    if future.done() and not future.cancelled():
        future.exception()
