"""The live side of the desk: one consumer per alert process tails the case log
(``netral.cases.v1``), keeps the in-memory case index current and hands every change to the open
Server-Sent-Event streams.

The case log, not the feed channel, is the source: the feed channel only hears of a case when it
is notified (after the route's ``group_wait``), the case log the moment alert writes it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiokafka import TopicPartition
from aiokafka.errors import KafkaError
from redis.exceptions import RedisError

from services.alert.store import CaseStore
from shared import codec
from shared.clock import utc_now
from shared.errors import InvalidMessage
from shared.kafka import make_consumer
from shared.schema import Case, CaseChange
from shared.settings import KafkaSettings

log = logging.getLogger(__name__)
QUEUE_SIZE = 1_000
CASE_ID_GLOB = "[0-9a-f]" * 24


@dataclass(frozen=True, slots=True)
class Indexed:
    case: Case  # without its evidence: the index holds what lists need
    updated_at: datetime | None
    position: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    """What a stream subscriber receives: a case-log entry and its place in the log."""

    entry: CaseChange
    position: str


class CaseFeed:
    """Call :meth:`run` as a background task and :meth:`wanted` on every desk request;
    :attr:`ready` is set once the index is loaded."""

    def __init__(
        self, kafka: KafkaSettings, store: CaseStore, ttl_s: int, idle_s: float = 600.0
    ) -> None:
        self.kafka = kafka
        self.store = store
        self.ttl_s = ttl_s
        self.idle_s = idle_s
        self.index: dict[str, Indexed] = {}
        self.ready = asyncio.Event()
        self._subscribers: set[asyncio.Queue[Change | None]] = set()
        self._demand = asyncio.Event()
        self._last_wanted = 0.0

    # -- the index -----------------------------------------------------------------------------

    def cases(self) -> Iterator[Case]:
        horizon = utc_now() - timedelta(seconds=self.ttl_s)
        for item in list(self.index.values()):
            if item.updated_at is None or item.updated_at >= horizon:
                yield item.case

    def apply(self, entry: CaseChange, position: str = "") -> None:
        known = self.index.get(entry.case_id)
        if known is not None and known.updated_at is not None and known.updated_at > entry.at:
            return  # an older entry arriving after a newer one the desk applied itself
        lean = dataclasses.replace(entry.case, evidence=())
        self.index[entry.case_id] = Indexed(lean, entry.at, position)

    async def load_view(self) -> int:
        """Every case the Redis view holds (what the log tail does not replay)."""
        client, keys = self.store.client, self.store.keys
        ids: list[str] = []
        async for key in client.scan_iter(match=keys("case", CASE_ID_GLOB), count=1000):
            ids.append((key.decode() if isinstance(key, bytes) else key).rsplit(":", 1)[1])
        for start in range(0, len(ids), 500):
            found = await self.store.get_many(ids[start : start + 500])
            for case_id, case in found.items():
                if case_id not in self.index:
                    self.index[case_id] = Indexed(dataclasses.replace(case, evidence=()), None)
        return len(ids)

    # -- subscribers ---------------------------------------------------------------------------

    def subscribe(self) -> asyncio.Queue[Change | None]:
        queue: asyncio.Queue[Change | None] = asyncio.Queue(QUEUE_SIZE)
        self._subscribers.add(queue)
        return queue

    @property
    def streams(self) -> int:
        """How many streams are subscribed now."""
        return len(self._subscribers)

    def unsubscribe(self, queue: asyncio.Queue[Change | None]) -> None:
        self._subscribers.discard(queue)

    def publish(self, change: Change) -> None:
        for queue in list(self._subscribers):
            try:
                queue.put_nowait(change)
            except asyncio.QueueFull:  # a reader that stopped reading: end its stream
                self._subscribers.discard(queue)
                queue.get_nowait()
                queue.put_nowait(None)

    def close(self) -> None:
        for queue in list(self._subscribers):
            self._subscribers.discard(queue)
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(None)

    # -- the tail ------------------------------------------------------------------------------

    def wanted(self) -> None:
        """Someone uses the desk: follow the case log (again) if it is not followed now."""
        self._last_wanted = time.monotonic()
        self._demand.set()

    async def run(self) -> None:
        """Follow the case log only while the desk is in use: from the first request until no
        request came and no stream was open for ``idle_s``. A worker nobody looks at pays
        nothing for the desk."""
        while True:
            await self._demand.wait()
            follow = asyncio.create_task(self._follow())
            try:
                while True:
                    await asyncio.sleep(min(self.idle_s, 5.0))
                    if not self._subscribers and self._idle_for() >= self.idle_s:
                        break
            finally:
                follow.cancel()
                await asyncio.gather(follow, return_exceptions=True)
                self.ready.clear()
                self.index.clear()
                self._demand.clear()

    def _idle_for(self) -> float:
        return time.monotonic() - self._last_wanted

    async def _follow(self) -> None:
        """1. position at the end of every partition, 2. load the Redis view, 3. apply and
        publish every new entry. Retries broker and Redis failures with a capped backoff."""
        delay = 0.2
        while True:
            consumer = make_consumer(self.kafka, group_id=None)
            try:
                await consumer.start()
                partitions = await self._partitions(consumer)
                consumer.assign(partitions)
                await consumer.seek_to_end(*partitions)
                for tp in partitions:
                    await consumer.position(tp)
                await self.load_view()
                self.ready.set()
                delay = 0.2
                await self._tail(consumer)
            except (KafkaError, RedisError, OSError) as exc:
                self.ready.clear()
                log.warning("case feed failed; retrying", extra={"data": {"error": repr(exc)}})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
            finally:
                await consumer.stop()

    async def _partitions(self, consumer: object) -> list[TopicPartition]:
        topic = self.kafka.cases_topic
        while True:
            await consumer.topics()  # type: ignore[attr-defined]
            found = consumer.partitions_for_topic(topic)  # type: ignore[attr-defined]
            if found:
                return [TopicPartition(topic, p) for p in sorted(found)]
            await asyncio.sleep(1.0)

    async def _tail(self, consumer: object) -> None:
        while True:
            batches = await consumer.getmany(timeout_ms=500)  # type: ignore[attr-defined]
            for tp, records in batches.items():
                for record in records:
                    try:
                        entry = codec.decode(record.value, CaseChange)
                    except InvalidMessage:
                        continue  # alert's own output; the case view is unaffected either way
                    change = Change(entry, f"{tp.partition}-{record.offset}")
                    self.apply(entry, change.position)
                    self.publish(change)


Visible = Callable[[Case], bool]
