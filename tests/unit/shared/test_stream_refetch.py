"""When every partition's stream buffer is full, the fetch loop waits for a buffer to drain, not
for faust's fixed second: the first partition back is fetched on the next loop turns.

The consumer is the one the workers run (``make_app``); only its fetch from the broker is
replaced, by a recorder, since the point here is when the fetch happens, not what it returns.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from faust.types import TP

from shared.settings import KafkaSettings
from shared.stream import make_app

PARTITION = TP("netral.events", 0)
LOOP_TURNS = 20


@pytest.fixture
async def consumer() -> AsyncIterator[Any]:
    """The workers' consumer, made on the test's loop as a worker makes it on its own, but never
    started (its thread's loop is closed afterwards)."""
    made = make_app("refetch-test", KafkaSettings()).consumer
    yield made
    made._thread.thread_loop.close()


def buffered(consumer: Any) -> list[set[TP] | None]:
    """Fill the consumer's only partition's buffer; the fetches it then makes are recorded."""
    fetched: list[set[TP] | None] = []

    async def fetch(active_partitions: set[TP] | None, timeout: float) -> dict[TP, list[Any]]:  # noqa: ASYNC109
        fetched.append(set(active_partitions) if active_partitions is not None else None)
        return {}

    consumer._getmany = fetch
    consumer._active_partitions = {PARTITION}
    consumer.on_buffer_full(PARTITION)
    assert consumer._get_active_partitions() == set()
    return fetched


async def turns(n: int = LOOP_TURNS) -> None:
    for _ in range(n):
        await asyncio.sleep(0)


async def test_a_drained_buffer_is_fetched_at_once(consumer: Any) -> None:
    fetched = buffered(consumer)
    waiting = asyncio.ensure_future(consumer._wait_next_records(1.0))
    await turns()
    assert not waiting.done() and fetched == []  # nothing to fetch while the buffer is full

    consumer.on_buffer_drop(PARTITION)
    await turns()
    # faust's own loop would still be in its one-second sleep here
    assert waiting.done()
    records, active = waiting.result()
    assert fetched == [{PARTITION}]
    assert records == {} and active == {PARTITION}


async def test_no_fetch_while_every_buffer_stays_full(consumer: Any) -> None:
    fetched = buffered(consumer)
    records, active = await consumer._wait_next_records(1.0)
    assert (records, active) == ({}, set())
    assert fetched == []


async def test_a_stop_ends_the_wait_as_faust_sleep_did(consumer: Any) -> None:
    fetched = buffered(consumer)
    waiting = asyncio.ensure_future(consumer._wait_next_records(1.0))
    await turns()
    assert not waiting.done()
    consumer._stopped.set()
    await turns()
    assert waiting.done() and waiting.result() == ({}, set())
    assert fetched == []
