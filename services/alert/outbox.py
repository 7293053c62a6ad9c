"""The notification outbox: deliveries queued in a Redis stream, one entry per channel, sent by a
dispatcher apart from the verdict stream, so a slow or failing channel never holds up the stream or
the other channels.

Each entry is tried, recorded (one delivery record per attempt), and on a retryable failure put
back with exponential backoff and jitter; after the retry budget it becomes a dead letter and a
``delivery_failed`` entry in the case log. Entries are acknowledged only after that, so a worker
that dies mid-delivery leaves them to be claimed again (at-least-once; the delivery id travels
with every attempt so receivers can drop repeats).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from services.alert.channels.base import Channel, Delivery, Notification
from services.alert.dedup import stable_id
from shared import codec
from shared.clock import utc_now
from shared.redis import Keys
from shared.schema import CaseChange

log = logging.getLogger(__name__)
GROUP = "dispatch"


@dataclass(frozen=True, slots=True)
class Queued:
    delivery_id: str
    channel: str
    attempt: int
    change: CaseChange
    recipients: tuple[str, ...]
    summary: str
    link: str


@dataclass(frozen=True, slots=True)
class Attempt:
    delivery_id: str
    channel: str
    attempt: int
    ok: bool
    retryable: bool
    reason: str
    at: float


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 8
    base_s: float = 0.5
    cap_s: float = 60.0

    def delay(self, attempt: int) -> float:
        """Exponential backoff with full jitter between half and the whole step."""
        step = min(self.cap_s, self.base_s * 2.0 ** (attempt - 1))
        return float(step * (0.5 + random.random() / 2))


class Outbox:
    def __init__(self, client: Redis, keys: Keys, ttl_s: int) -> None:
        self.client = client
        self.keys = keys
        self.ttl_s = ttl_s
        self.stream = keys("outbox")
        self.retries = keys("outbox", "retry")

    async def ensure_group(self) -> None:
        try:
            await self.client.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def enqueue(self, notification: Notification, channels: tuple[str, ...]) -> None:
        await self.enqueue_many([(notification, channels)])

    async def enqueue_many(self, queued: Sequence[tuple[Notification, tuple[str, ...]]]) -> None:
        """Queue one entry per channel of each notification, all in one transaction."""
        if not queued:
            return
        pipe = self.client.pipeline(transaction=True)
        for notification, channels in queued:
            self._add(pipe, notification, channels)
        await pipe.execute()

    def _add(self, pipe: Any, notification: Notification, channels: tuple[str, ...]) -> None:
        for channel in channels:
            delivery_id = stable_id(notification.change.change_id, channel)
            entry = Queued(
                delivery_id,
                channel,
                1,
                notification.change,
                notification.recipients,
                notification.summary,
                notification.link,
            )
            pipe.xadd(self.stream, {"entry": codec.encode(entry)})

    async def read(self, consumer: str, count: int, block_ms: int) -> list[tuple[str, Queued]]:
        answer: Any = await self.client.xreadgroup(
            GROUP, consumer, {self.stream: ">"}, count, block_ms
        )
        return [
            (_text(i), codec.decode(f[b"entry"], Queued)) for _, items in answer for i, f in items
        ]

    async def reclaim(self, consumer: str, idle_ms: int) -> list[tuple[str, Queued]]:
        """Entries a dead dispatcher read but never finished."""
        answer: Any = await self.client.xautoclaim(
            self.stream, GROUP, consumer, idle_ms, "0-0", 100
        )
        return [(_text(i), codec.decode(f[b"entry"], Queued)) for i, f in answer[1] if f]

    async def finish(self, entry_id: str) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.xack(self.stream, GROUP, entry_id)
        pipe.xdel(self.stream, entry_id)
        await pipe.execute()

    async def retry_later(self, entry_id: str, queued: Queued, delay_s: float) -> None:
        again = Queued(
            queued.delivery_id,
            queued.channel,
            queued.attempt + 1,
            queued.change,
            queued.recipients,
            queued.summary,
            queued.link,
        )
        pipe = self.client.pipeline(transaction=True)
        pipe.zadd(self.retries, {codec.encode(again): time.time() + delay_s})
        pipe.xack(self.stream, GROUP, entry_id)
        pipe.xdel(self.stream, entry_id)
        await pipe.execute()

    async def release_due_retries(self) -> int:
        due: list[Any] = await self.client.zrangebyscore(
            self.retries, "-inf", time.time(), start=0, num=100
        )
        moved = 0
        for raw in due:
            if await self.client.zrem(self.retries, raw):
                await self.client.xadd(self.stream, {"entry": raw})
                moved += 1
        return moved

    async def record(self, attempt: Attempt, case_id: str) -> None:
        key = self.keys("case", case_id, "deliveries")
        pipe = self.client.pipeline(transaction=False)
        pipe.rpush(key, codec.encode(attempt))
        pipe.expire(key, self.ttl_s)
        await pipe.execute()

    async def deliveries(self, case_id: str) -> list[Attempt]:
        raw = await self.client.lrange(self.keys("case", case_id, "deliveries"), 0, -1)
        return [codec.decode(item, Attempt) for item in raw]


class Dispatcher:
    """Sends queued deliveries; ``on_attempt`` and ``on_give_up`` let the service count and
    dead-letter without this module knowing about Kafka or metrics."""

    def __init__(
        self,
        outbox: Outbox,
        channels: Mapping[str, Channel],
        policy: RetryPolicy,
        consumer: str,
        on_attempt: Callable[[Queued, Delivery, float], None],
        on_give_up: Callable[[Queued, Delivery], Awaitable[None]],
        concurrency: int = 32,
    ) -> None:
        self.outbox = outbox
        self.channels = channels
        self.policy = policy
        self.consumer = consumer
        self.on_attempt = on_attempt
        self.on_give_up = on_give_up
        self._slots = asyncio.Semaphore(concurrency)
        self._running: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        await self.outbox.ensure_group()
        last_reclaim = 0.0
        while True:
            if time.monotonic() - last_reclaim > 30:
                last_reclaim = time.monotonic()
                for entry in await self.outbox.reclaim(self.consumer, idle_ms=60_000):
                    await self._start(*entry)
            await self.outbox.release_due_retries()
            for entry in await self.outbox.read(self.consumer, count=100, block_ms=100):
                await self._start(*entry)

    async def drain(self, timeout_s: float) -> None:
        if self._running:
            await asyncio.wait(self._running, timeout=timeout_s)

    async def _start(self, entry_id: str, queued: Queued) -> None:
        await self._slots.acquire()
        task = asyncio.create_task(self._deliver(entry_id, queued))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _deliver(self, entry_id: str, queued: Queued) -> None:
        try:
            channel = self.channels.get(queued.channel)
            started = time.perf_counter()
            if channel is None:
                delivery = Delivery(False, False, f"channel {queued.channel!r} is not configured")
            else:
                notification = Notification(
                    queued.change,
                    queued.recipients,
                    queued.link,
                    queued.summary,
                    queued.delivery_id,
                )
                try:
                    delivery = await channel.send(notification)
                except Exception as exc:  # a channel bug must not stop the dispatcher
                    delivery = Delivery(False, False, f"channel error: {exc!r}")
            self.on_attempt(queued, delivery, time.perf_counter() - started)
            await self.outbox.record(
                Attempt(
                    queued.delivery_id,
                    queued.channel,
                    queued.attempt,
                    delivery.ok,
                    delivery.retryable,
                    delivery.reason,
                    utc_now().timestamp(),
                ),
                queued.change.case_id,
            )
            if delivery.ok:
                await self.outbox.finish(entry_id)
            elif delivery.retryable and queued.attempt < self.policy.attempts:
                await self.outbox.retry_later(entry_id, queued, self.policy.delay(queued.attempt))
            else:
                await self.on_give_up(queued, delivery)
                await self.outbox.finish(entry_id)
        except Exception:
            log.exception("delivery bookkeeping failed; the entry stays pending and is retried")
        finally:
            self._slots.release()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
