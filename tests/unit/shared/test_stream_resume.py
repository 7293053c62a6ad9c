"""The remainder of a coroutine whose first step ran inline behaves like the coroutine itself:
it gets the result of what it was waiting on, its return value, and cancellation."""

from __future__ import annotations

import asyncio

import pytest

from shared.stream import _Resumed


async def waits_for(future: asyncio.Future[int]) -> int:
    return (await future) + 1


async def test_resumed_coroutine_returns_what_it_would_have() -> None:
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    coro = waits_for(future)
    suspended_on = coro.send(None)
    assert suspended_on is future
    task = asyncio.ensure_future(_Resumed(coro, suspended_on))
    await asyncio.sleep(0)
    future.set_result(41)
    assert await task == 42


async def test_resumed_coroutine_is_cancelled_with_its_task() -> None:
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    coro = waits_for(future)
    task = asyncio.ensure_future(_Resumed(coro, coro.send(None)))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert future.cancelled()
