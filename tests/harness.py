"""Test harness: service subprocesses, a topic reader, and a collecting webhook (Push/Want style:
push inputs, then want outputs within a time window)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from services import runtime
from shared import embedded
from shared.settings import KafkaSettings


@contextmanager
def running(name: str, env: dict[str, str], log_dir: Path) -> Iterator[runtime.ServiceProcess]:
    """Start ``netral <name>`` and wait for /readyz; stop it with SIGTERM afterwards and check
    it exited cleanly. On failure, the service's log tail is part of the error."""
    log_path = log_dir / f"{name}.log"
    service = runtime.spawn(name, env, embedded.free_port(), log_path)
    try:
        try:
            runtime.wait_ready([service], timeout_s=60)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n--- {name} log ---\n{_tail(log_path)}") from None
        yield service
    finally:
        codes = runtime.stop_services([service])
    assert codes[name] == 0, f"{name} exited with {codes[name]}\n{_tail(log_path)}"


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


async def produce(
    kafka: KafkaSettings, topic: str, records: list[tuple[bytes | None, bytes]]
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap, acks="all")
    await producer.start()
    try:
        for key, value in records:
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


@dataclass
class TopicReader:
    """Reads whole topics from the beginning, without a consumer group."""

    kafka: KafkaSettings
    topics: tuple[str, ...]
    records: dict[str, list[Any]] = field(default_factory=dict)
    _consumer: AIOKafkaConsumer | None = None

    async def __aenter__(self) -> TopicReader:
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self.kafka.bootstrap,
            group_id=None,
            fetch_max_wait_ms=20,
            enable_auto_commit=False,
        )
        await self._consumer.start()
        await self._consumer.topics()  # refresh metadata for topics created after start
        partitions = []
        for topic in self.topics:
            for p in self._consumer.partitions_for_topic(topic) or ():
                partitions.append(TopicPartition(topic, p))
        self._consumer.assign(partitions)
        await self._consumer.seek_to_beginning(*partitions)
        for topic in self.topics:
            self.records[topic] = []
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._consumer is not None:
            await self._consumer.stop()

    async def want(
        self, predicate: Callable[[dict[str, list[Any]]], bool], within_s: float
    ) -> bool:
        """Read until ``predicate(records)`` holds; False when ``within_s`` passes first."""
        assert self._consumer is not None
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if predicate(self.records):
                return True
            batches = await self._consumer.getmany(timeout_ms=100)
            for tp, messages in batches.items():
                self.records[tp.topic].extend(messages)
        return predicate(self.records)

    async def settle(self, quiet_s: float) -> None:
        """Keep reading until nothing new arrived for ``quiet_s`` (to catch unwanted extras)."""
        assert self._consumer is not None
        last = time.monotonic()
        while time.monotonic() - last < quiet_s:
            batches = await self._consumer.getmany(timeout_ms=100)
            for tp, messages in batches.items():
                self.records[tp.topic].extend(messages)
                last = time.monotonic()


class Webhook:
    """A loopback HTTP receiver that records every request (body and headers)."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self._runner: web.AppRunner | None = None
        self._arrived = asyncio.Event()
        self.url = ""

    async def __aenter__(self) -> Webhook:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        port = embedded.free_port()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}/hook"
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        self.requests.append((dict(request.headers), await request.read()))
        self._arrived.set()
        return web.json_response({"ok": self.status < 300}, status=self.status)

    async def want(self, count: int, within_s: float) -> bool:
        deadline = time.monotonic() + within_s
        while len(self.requests) < count and time.monotonic() < deadline:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), deadline - time.monotonic())
        return len(self.requests) >= count
