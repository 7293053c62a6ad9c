"""The faust side of classify and alert: one app factory with settings tuned for low latency and
the embedded broker, and one runner that owns the process lifecycle.

faust hard-codes ``fetch_max_wait_ms=1500`` for its consumer; on a quiet topic every hop then waits
for that long. :class:`_Transport` swaps in the configured value before the consumer starts, and
its consumer hands most messages to the streams without faust's per-message race (see
:meth:`_Consumer.wait_first`) and fetches again as soon as a full stream buffer drains (see
:meth:`_Consumer._wait_next_records`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine, Generator, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar, cast

import faust
from aiohttp import web
from aiokafka import AIOKafkaProducer
from faust.sensors.monitor import Monitor
from faust.streams import _tracks_buffer_agen
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP, ChannelT, EventT, Message, StreamT
from mode import Seconds, want_seconds
from mode.services import WaitArgT, WaitResults
from mode.utils.aiter import aiter
from mode.utils.futures import notify
from prometheus_client import CollectorRegistry, Counter, Gauge

from shared.health import Health, serve
from shared.lifecycle import freeze_startup_heap, start_with_retry
from shared.settings import KafkaSettings

log = logging.getLogger(__name__)
FATAL_EXIT_CODE = 70
T = TypeVar("T")


class _ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        consumer._fetch_max_wait_ms = self.app.conf.netral_fetch_max_wait_ms
        consumer._fetch_max_bytes = self.app.conf.netral_fetch_max_bytes  # faust passes none
        return consumer


class _Consumer(faust_aiokafka.Consumer):
    # Set when a stream buffer drains and its partitions can be fetched again.
    _buffer_drained: asyncio.Event | None = None

    def _new_consumer_thread(self) -> _ConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    def on_buffer_drop(self, tp: TP) -> None:
        super().on_buffer_drop(tp)
        if self._buffer_drained is not None:
            self._buffer_drained.set()

    async def _wait_next_records(
        self,
        timeout: float,  # noqa: ASYNC109 (faust's signature)
    ) -> tuple[dict[TP, list[Any]] | None, set[TP] | None]:
        """When every partition's stream buffer is full, faust sleeps a whole second before it
        fetches again, however soon the agent drains the buffer; a busy worker then idled about
        a third of the time. Here the fetch loop wakes as soon as a partition is back (still
        after a second at most, or at a stop, as before, when none comes back)."""
        if self.flow_active and not self.app.client_only and not self._get_active_partitions():
            if self._buffer_drained is None:
                self._buffer_drained = asyncio.Event()
            drained = self._buffer_drained
            drained.clear()
            # as faust's sleep did, a stop or a crash ends the wait too
            await self.wait_first(drained.wait(), timeout=1.0)
            if not self._get_active_partitions():
                return {}, set()
        return cast(
            tuple[dict[TP, list[Any]] | None, set[TP] | None],
            await super()._wait_next_records(timeout),
        )

    async def wait_first(self, *coros: WaitArgT, timeout: Any = None) -> WaitResults:  # noqa: ASYNC109
        """faust's fetch loop calls ``wait_first(callback(message), suspend_flow.wait())`` for
        every message: three tasks and a loop turn each, to let a rebalance interrupt a callback
        blocked on a full stream buffer or on paused flow. While flow is active, nearly every
        callback finishes without suspending, so its first step runs here, inline. One that does
        suspend finishes under faust's race as before, and when flow is already suspended the
        race runs from the start: a rebalance or stop can still interrupt any blocked step."""
        first, *others = coros
        if self.suspend_flow.is_set() or timeout is not None or not asyncio.iscoroutine(first):
            return await super().wait_first(*coros, timeout=timeout)
        try:
            suspended_on = first.send(None)
        except StopIteration as finished:
            _close(others)
            return WaitResults([first], [finished.value], False)
        except BaseException:
            _close(others)
            raise
        return await super().wait_first(_Resumed(first, suspended_on), *others)


class _Transport(faust_aiokafka.Transport):
    Consumer = _Consumer


class _StallMonitor(Monitor):
    """faust's only sensor keeps statistics of every message and event for its web views, which
    these workers do not run. Per event this keeps just the stream's inbound time, which the
    consumer's stalled-stream warning reads."""

    def on_message_in(self, tp: TP, offset: int, message: Message) -> None:
        pass

    def on_stream_event_in(
        self, tp: TP, offset: int, stream: StreamT[Any], event: EventT[Any]
    ) -> dict[str, Any] | None:
        self.stream_inbound_time[tp] = time.monotonic()
        return None

    def on_message_out(self, tp: TP, offset: int, message: Message) -> None:
        pass

    def track_tp_end_offset(self, tp: TP, offset: int) -> None:
        pass


class _Resumed:
    """The rest of a coroutine whose first step already ran and suspended on ``suspended_on``:
    awaiting this hands that same future to the running task, then drives the coroutine on."""

    __slots__ = ("coro", "suspended_on")

    def __init__(self, coro: Coroutine[Any, Any, Any], suspended_on: Any) -> None:
        self.coro = coro
        self.suspended_on = suspended_on

    def __await__(self) -> Generator[Any, Any, Any]:
        coro, waiting = self.coro, self.suspended_on
        while True:
            try:
                sent = yield waiting
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as exc:  # cancellation included: it reaches the coroutine
                step = functools.partial(coro.throw, exc)
            else:
                step = functools.partial(coro.send, sent)
            try:
                waiting = step()
            except StopIteration as finished:
                return finished.value


def _close(waitables: Sequence[WaitArgT]) -> None:
    for waitable in waitables:
        if asyncio.iscoroutine(waitable):
            waitable.close()


class BatchingStream(faust.Stream):  # type: ignore[type-arg]
    """The stream class of every app made here (see :func:`make_app`)."""

    @_tracks_buffer_agen
    async def take_events(
        self, max_: int, within: Seconds, *, acks: bool = True
    ) -> AsyncGenerator[Sequence[EventT[Any]], None]:
        """faust's ``take_events``, except that an empty buffer waits for its first event
        instead of waking every ``within`` (200 times a second at 5 ms, each wake-up a task
        race: a tenth of a core per idle worker); ``within`` then runs from the first event.
        The full-buffer wait and the clean-up are as in faust 0.15.3.

        With ``acks`` (faust's way) a batch is acknowledged when the consumer asks for the next
        one. Without, the consumer acknowledges each batch itself (:meth:`ack_all`) once its
        output is delivered, so the next batch can be taken and worked on while that delivery
        is still in flight; what is never acknowledged is read again after a restart."""
        buffer: list[Any] = []
        events: list[EventT[Any]] = []
        buffer_full, buffer_consumed, buffer_added = (
            asyncio.Event(),
            asyncio.Event(),
            asyncio.Event(),
        )
        timeout = want_seconds(within) if within else None
        stream_enable_acks: bool = self.enable_acks
        buffer_consuming: asyncio.Future[None] | None = None
        channel_it = aiter(self.channel)

        async def add_to_buffer(value: Any) -> Any:
            try:
                nonlocal buffer_consuming
                if buffer_consuming is not None:
                    try:
                        await buffer_consuming
                    finally:
                        buffer_consuming = None
                buffer.append(value)
                buffer_added.set()
                event = self.current_event
                if event is None:
                    raise RuntimeError("Take buffer found current_event is None")
                events.append(event)
                if len(buffer) >= max_:
                    buffer_full.set()
                    buffer_consumed.clear()
                    await self.wait(buffer_consumed)  # type: ignore[arg-type]
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.log.exception("Error adding to take buffer: %r", exc)
                await self.crash(exc)
            return value

        self.enable_acks = False
        self.add_processor(add_to_buffer)
        self._enable_passive(cast(ChannelT[Any], channel_it))
        try:
            while not self.should_stop:
                if not buffer:
                    await self.wait_for_stopped(buffer_added)  # type: ignore[arg-type]
                await self.wait_for_stopped(buffer_full, timeout=timeout)  # type: ignore[arg-type]
                if buffer:
                    buffer_consuming = self.loop.create_future()
                    try:
                        yield list(events)
                    finally:
                        buffer.clear()
                        buffer_added.clear()
                        if acks:
                            await self.ack_all(events)
                        events.clear()
                        notify(buffer_consuming)
                        buffer_full.clear()
                        buffer_consumed.set()
        finally:
            self.enable_acks = stream_enable_acks
            self._processors.remove(add_to_buffer)

    async def ack_all(self, events: Sequence[EventT[Any]]) -> None:
        for event in events:
            await self.ack(event)


def make_app(app_id: str, kafka: KafkaSettings, **overrides: Any) -> faust.App:
    """A faust app with raw-bytes topics, short group-session timings and batched producing."""
    options: dict[str, Any] = {
        "broker": f"kafka://{kafka.bootstrap}",
        "value_serializer": "raw",
        "key_serializer": "raw",
        "topic_partitions": kafka.partitions,
        "topic_replication_factor": kafka.replication,
        "topic_allow_declare": False,
        "topic_disable_leader": True,
        "consumer_auto_offset_reset": "earliest",
        "broker_session_timeout": kafka.session_timeout_s,
        "broker_heartbeat_interval": kafka.heartbeat_interval_s,
        "broker_commit_interval": 1.0,
        "broker_client_id": f"{kafka.client_id_prefix}-{app_id}",
        "producer_linger_ms": kafka.linger_ms,
        "producer_max_batch_size": kafka.max_batch_bytes,
        "producer_acks": -1,
        "consumer_max_fetch_size": kafka.fetch_partition_bytes,
        "broker_max_poll_records": kafka.max_poll_records,
        "web_enabled": False,
        "Monitor": _StallMonitor,
        "Stream": BatchingStream,
        "datadir": os.environ.get("NETRAL_FAUST_DATADIR", f"/tmp/netral-faust-{os.getpid()}"),
    }
    options.update(overrides)
    app = faust.App(app_id, **options)
    app.conf.netral_fetch_max_wait_ms = kafka.fetch_max_wait_ms
    app.conf.netral_fetch_max_bytes = kafka.fetch_max_bytes
    app.transport = _Transport(app.conf.broker_consumer, app)
    return app


async def run_app(
    app: faust.App,
    stopping: asyncio.Event,
    before: Callable[[], Awaitable[None]],
    after: Callable[[], Awaitable[None]],
) -> int:
    """1. ``before`` (start producers, HTTP), 2. start the faust app and freeze the start-up
    heap, 3. wait for ``stopping`` or a crash, 4. stop the app (agents stop; offsets of finished
    batches are committed), 5. ``after``. Returns the process exit code."""
    await before()
    try:
        await app.start()
        freeze_startup_heap()
        stop = asyncio.ensure_future(stopping.wait())
        crash = asyncio.ensure_future(app._crashed.wait())
        await asyncio.wait({stop, crash}, return_when=asyncio.FIRST_COMPLETED)
        for waiter in (stop, crash):
            waiter.cancel()
        if app._crashed.is_set():
            log.critical("stream app crashed", extra={"data": {"reason": repr(app._crash_reason)}})
            return 1
        return 0
    finally:
        await app.stop()
        await after()


async def assigned(app: faust.App) -> bool:
    """Ready means this worker joined its group and owns partitions to read."""
    return bool(app.consumer.assignment())


@dataclass(frozen=True)
class ConsumerMetrics:
    """Per-partition lag (from the high watermark of fetch responses, which the embedded broker
    reports correctly), seconds since the committed offset last moved while lag was waiting
    (a stuck-commit detector), and rebalances."""

    lag: Gauge
    since_commit: Gauge
    rebalances: Counter

    @classmethod
    def create(cls, registry: CollectorRegistry, service: str) -> ConsumerMetrics:
        return cls(
            lag=Gauge(
                f"netral_{service}_consumer_lag_messages",
                "Messages between the committed offset and the partition's high watermark.",
                ["topic", "partition"],
                registry=registry,
            ),
            since_commit=Gauge(
                f"netral_{service}_seconds_since_commit",
                "Seconds the committed offset has not moved while messages were waiting (0 when "
                "caught up).",
                ["topic", "partition"],
                registry=registry,
            ),
            rebalances=Counter(
                f"netral_{service}_rebalances_total",
                "Consumer-group rebalances completed.",
                registry=registry,
            ),
        )


async def sample_consumer(
    app: faust.App, metrics: ConsumerMetrics, health: Health, interval_s: float = 5.0
) -> None:
    """Every ``interval_s``: export lag and commit age per assigned partition, and tell health
    the loop is stuck when messages wait and nothing has been committed for its stall window."""
    last_offset: dict[Any, int | None] = {}
    last_move: dict[Any, float] = {}
    exported: set[tuple[str, str]] = set()
    while True:
        await asyncio.sleep(interval_s)
        consumer = app.consumer
        now = time.monotonic()
        waiting_since: float | None = None
        assigned = consumer.assignment()
        held = {(tp.topic, str(tp.partition)) for tp in assigned}
        for labels in exported - held:  # taken away by a rebalance: its owner reports it now
            metrics.lag.remove(*labels)
            metrics.since_commit.remove(*labels)
        exported = held
        for tp in assigned:
            # faust keeps the last committed offset per partition; it has no public accessor.
            committed = getattr(consumer, "_committed_offset", {}).get(tp)
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            lag = max(0, highwater - (committed + 1 if committed is not None else 0))
            if committed != last_offset.get(tp) or lag == 0:
                last_offset[tp] = committed
                last_move[tp] = now
            age = now - last_move.get(tp, now) if lag else 0.0
            labels = (tp.topic, str(tp.partition))
            metrics.lag.labels(*labels).set(lag)
            metrics.since_commit.labels(*labels).set(age)
            if lag and age > 0:
                waiting_since = min(waiting_since or now, last_move[tp])
        if waiting_since is not None and now - waiting_since > health.stall_after_s:
            health.stuck()


def counting_rebalances(metrics: ConsumerMetrics) -> Callable[..., Awaitable[None]]:
    """A receiver for faust's ``on_rebalance_complete`` signal."""

    async def on_rebalance(sender: Any, **_: Any) -> None:
        metrics.rebalances.inc()

    return on_rebalance


class WorkerEdges:
    """The I/O around a faust worker: its producer, its health server and background watchers.

    ``start`` runs before the app starts consuming; ``stop`` after the app stopped, so the
    producer is flushed only once no agent can send any more.
    """

    def __init__(
        self,
        producer: AIOKafkaProducer,
        health: Health,
        host: str,
        port: int,
        watchers: Sequence[Callable[[], Coroutine[Any, Any, None]]] = (),
        closers: Sequence[Callable[[], Awaitable[None]]] = (),
    ) -> None:
        self.producer = producer
        self.health = health
        self.host, self.port = host, port
        self.watchers = watchers
        self.closers = closers
        self._tasks: list[asyncio.Task[None]] = []
        self._runner: web.AppRunner | None = None
        health.add_check("broker", self._broker_ready)

    async def _broker_ready(self) -> bool:
        client = self.producer.client
        return bool(await client.ready(client.get_random_node()))

    async def start(self) -> None:
        await start_with_retry(self.producer.start, "broker")
        web_app = web.Application()
        web_app.add_routes(self.health.routes())
        self._runner = await serve(web_app, self.host, self.port)
        for watcher in (self.health.tick_forever, *self.watchers):
            self._tasks.append(asyncio.create_task(watcher()))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for close in self.closers:
            await close()
        await self.producer.flush()
        await self.producer.stop()
        if self._runner is not None:
            await self._runner.cleanup()


def fatal_exit(message: str, **data: Any) -> NoReturn:
    """Stop at once without acknowledging the batch in hand.

    faust acknowledges a batch even when its handler raises, so raising would commit offsets of
    events whose output was never produced. Exiting keeps at-least-once: a restarted worker
    resumes from the last commit.
    """
    log.critical(message, extra={"data": data})
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stderr.flush()
    os._exit(FATAL_EXIT_CODE)


async def retry_until(
    action: Callable[[], Awaitable[T]],
    deadline_s: float,
    what: str,
    on_retry: Callable[[], None],
) -> T:
    """Retry a transient failure with capped exponential backoff and return the action's
    result; :func:`fatal_exit` past the deadline. Keeping the batch in hand keeps
    per-partition order; the stall shows as lag."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + deadline_s
    delay = 0.05
    while True:
        try:
            return await action()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if loop.time() + delay > give_up:
                fatal_exit(
                    f"{what} failed past its deadline", error=repr(exc), deadline_s=deadline_s
                )
            on_retry()
            log.warning(f"{what} failed; retrying", extra={"data": {"error": repr(exc)}})
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
