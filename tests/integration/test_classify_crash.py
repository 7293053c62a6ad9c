"""A classify worker killed with SIGKILL while events flow, then restarted: every event still
gets its verdict: a kill may repeat the batches in hand but must never lose one. (The worker
acknowledges a batch once the broker has acknowledged its verdicts, while the next batch is
being classified. This test holds the outcome; the window an ack taken too early would open is
milliseconds wide, so it is not a test of that ordering.)"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path
from typing import Any

import pytest

from services import runtime
from shared import codec, embedded
from shared.kafka import ensure_topics, make_producer, send_batch
from shared.schema import Verdict
from shared.settings import KafkaSettings, RedisSettings
from tests.conftest import service_env
from tests.harness import TopicReader, running
from tests.integration.test_rebalance import event

pytestmark = pytest.mark.integration
PER_TICK, TICK_S = 200, 0.05  # 4,000 events/s offered: the worker has batches in hand at the kill
EVENTS = 16_000


def event_ids(records: list[Any]) -> set[str]:
    return {codec.decode(r.value, Verdict).event_id for r in records}


async def test_nothing_lost_when_killed_mid_stream(
    kafka_settings: KafkaSettings, redis_settings: RedisSettings, tmp_path: Path, unique: str
) -> None:
    await ensure_topics(kafka_settings)
    env = service_env(kafka_settings, redis_settings)
    topic = kafka_settings.verdicts_topic
    producer = make_producer(kafka_settings, "test-crash")
    await producer.start()
    sent = 0

    async def feed() -> None:
        nonlocal sent
        while sent < EVENTS:
            batch = [event(n, unique) for n in range(sent, sent + PER_TICK)]
            await send_batch(producer, kafka_settings.events_topic, batch)
            sent += len(batch)
            await asyncio.sleep(TICK_S)

    feeding: asyncio.Task[None] | None = None
    try:
        victim = runtime.spawn("classify", env, embedded.free_port(), tmp_path / "victim.log")
        try:
            await asyncio.to_thread(runtime.wait_ready, [victim], 60)
            feeding = asyncio.create_task(feed())
            async with TopicReader(kafka_settings, (topic,)) as reader:
                await reader.want(lambda r: len(r[topic]) >= 2_000, within_s=60)
            victim.proc.send_signal(signal.SIGKILL)
            victim.proc.wait(10)
        finally:
            with contextlib.suppress(ProcessLookupError):
                victim.proc.kill()
        before_restart = sent
        await feeding
        with running("classify", env, tmp_path):
            async with TopicReader(kafka_settings, (topic,)) as reader:
                await reader.want(lambda r: len(event_ids(r[topic])) >= EVENTS, within_s=90)
    finally:
        if feeding is not None:
            feeding.cancel()
        await producer.stop()
    assert before_restart < EVENTS, "the kill came after the last event was sent"
    expected = {f"rb-{unique}-{n}" for n in range(EVENTS)}
    missing = expected - event_ids(reader.records[topic])
    assert not missing, f"lost {len(missing)} of {EVENTS}"
