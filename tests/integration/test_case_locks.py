"""The case store's per-key locks on a real Redis: a batch takes its keys in one round trip when
they are free, waits for a busy one without deadlocking against another batch, and a timer run
can take just the free keys and leave the busy ones."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from services.alert.store import CaseStore
from shared.redis import Keys, make_redis
from shared.settings import RedisSettings

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(redis_settings: RedisSettings) -> AsyncIterator[CaseStore]:
    client = make_redis(redis_settings)
    yield CaseStore(client, Keys(redis_settings.prefix), ttl_s=60)
    await client.aclose()


async def test_overlapping_batches_take_turns_and_never_deadlock(store: CaseStore) -> None:
    inside: list[str] = []
    log: list[tuple[str, str]] = []

    async def batch(name: str, keys: list[str]) -> None:
        async with store.locked(keys, timeout_s=5):
            inside.append(name)
            assert len(inside) == 1, inside  # the batches share key "b"
            log.append((name, "in"))
            await asyncio.sleep(0.05)
            inside.remove(name)

    await asyncio.wait_for(
        asyncio.gather(batch("one", ["a", "b", "c"]), batch("two", ["c", "b", "d"])), 5
    )
    assert sorted(name for name, _ in log) == ["one", "two"]


async def test_free_keys_only_and_released_after(store: CaseStore) -> None:
    async with store.locked(["busy"]):
        async with store.locked_free(["busy", "free", "also-free"]) as held:
            assert held == {"free", "also-free"}
        async with store.locked_free(["free"]) as again:
            assert again == {"free"}  # released when the block ended
    async with store.locked_free(["busy"]) as later:
        assert later == {"busy"}


async def test_a_lock_that_is_never_freed_times_out(store: CaseStore) -> None:
    async with store.locked(["stuck"]):
        with pytest.raises(TimeoutError):
            async with store.locked(["other", "stuck"], timeout_s=0.2):
                pass
        async with store.locked_free(["other"]) as held:
            assert held == {"other"}  # the failed attempt let go of what it had taken
