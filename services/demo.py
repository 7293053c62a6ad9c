"""``netral demo``: the embedded default end to end, measured.

1. start infrastructure and the three services (a loopback webhook receiver stands in for the
   operations channel); 2. post the demo events through the HTTP API in small paced batches;
3. read the verdicts, cases and DLQ topics until every accepted event has a verdict and the case
   log has been quiet for a while; 4. print one JSON summary; 5. stop everything it started.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from aiohttp import web

from shared import codec
from shared.clock import utc_now
from shared.kafka import make_consumer
from shared.schema import CaseChange, Verdict
from shared.settings import KafkaSettings

DEMO_EVENTS = Path(__file__).resolve().parent.parent / "deploy" / "demo" / "events.jsonl"


@dataclass
class Tally:
    sent: int = 0
    accepted_ids: set[str] = field(default_factory=set)
    statuses: Counter[str] = field(default_factory=Counter)
    verdict_ids: set[str] = field(default_factory=set)
    latencies_ms: list[float] = field(default_factory=list)
    opened: set[str] = field(default_factory=set)
    notified: set[str] = field(default_factory=set)
    changes: set[str] = field(default_factory=set)
    dlq: int = 0
    webhook_posts: list[dict[str, Any]] = field(default_factory=list)
    last_activity: float = 0.0


class WebhookReceiver:
    """A loopback HTTP endpoint that records every notification the alert service posts."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/hook", self._hook)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{self.port}/hook"

    async def _hook(self, request: web.Request) -> web.Response:
        self.tally.webhook_posts.append(await request.json())
        return web.json_response({"ok": True})

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


def load_events(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


async def post_events(
    ingest_url: str,
    events: list[dict[str, Any]],
    tally: Tally,
    batch: int = 10,
    pause_s: float = 0.05,
) -> None:
    async with aiohttp.ClientSession() as session:
        for start in range(0, len(events), batch):
            chunk = events[start : start + batch]
            tally.sent += len(chunk)
            async with session.post(
                f"{ingest_url}/v1/events",
                data=orjson.dumps(chunk),
                headers={"Content-Type": "application/json"},
            ) as response:
                body = await response.json()
            for result in body.get("results", []):
                tally.statuses[result["status"]] += 1
                if result["status"] == "accepted":
                    tally.accepted_ids.add(result["event_id"])
            await asyncio.sleep(pause_s)


async def watch_topics(kafka: KafkaSettings, tally: Tally, done: asyncio.Event) -> None:
    """Read verdicts, cases and the DLQ from the beginning without joining a group."""
    from aiokafka import TopicPartition

    consumer = make_consumer(kafka, group_id=None)
    await consumer.start()
    try:
        await consumer.topics()  # refresh metadata
        partitions = []
        for topic in (kafka.verdicts_topic, kafka.cases_topic, kafka.dlq_topic):
            for partition in consumer.partitions_for_topic(topic) or ():
                partitions.append(TopicPartition(topic, partition))
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        while not done.is_set():
            batches = await consumer.getmany(timeout_ms=100)
            now = utc_now()
            for tp, records in batches.items():
                for record in records:
                    _record(kafka, tp.topic, record.value, now, tally)
    finally:
        await consumer.stop()


def _record(kafka: KafkaSettings, topic: str, value: bytes, now: Any, tally: Tally) -> None:
    if topic == kafka.verdicts_topic:
        verdict = codec.decode(value, Verdict)
        if verdict.event_id not in tally.verdict_ids:
            tally.verdict_ids.add(verdict.event_id)
            received = verdict.event.received_at
            if received is not None:
                tally.latencies_ms.append((now - received).total_seconds() * 1000)
        tally.last_activity = time.monotonic()
    elif topic == kafka.cases_topic:
        change = codec.decode(value, CaseChange)
        tally.changes.add(change.change_id)
        if change.action == "opened":
            tally.opened.add(change.case_id)
        elif change.action == "notified":
            tally.notified.add(change.case_id)
        tally.last_activity = time.monotonic()
    else:
        tally.dlq += 1


async def wait_settled(tally: Tally, timeout_s: float, quiet_s: float = 3.0) -> bool:
    """True once every accepted event has a verdict, every opened case has had its first
    notification decided (sent, or held back by a silence or inhibition; the routing's
    ``group_wait`` delays it), and nothing arrived for ``quiet_s``; False at the timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        all_verdicts = tally.accepted_ids <= tally.verdict_ids and tally.opened <= tally.notified
        quiet = time.monotonic() - tally.last_activity > quiet_s
        if all_verdicts and quiet:
            return True
        await asyncio.sleep(0.1)
    return False


def summary(tally: Tally, settled: bool) -> dict[str, Any]:
    latencies = sorted(tally.latencies_ms)
    return {
        "events_sent": tally.sent,
        "events_accepted": len(tally.accepted_ids),
        "events_rejected": tally.statuses["rejected"],
        "events_unregistered": tally.statuses["unregistered"],
        "events_duplicate": tally.statuses["duplicate"],
        "verdicts": len(tally.verdict_ids & tally.accepted_ids),
        "cases_opened": len(tally.opened),
        "case_changes": len(tally.changes),
        "cases_notified": len(tally.notified & tally.opened),
        "notifications_sent": len(tally.webhook_posts),
        "dlq": tally.dlq,
        "settled": settled,
        "e2e_latency_ms": {
            "p50": round(statistics.median(latencies), 1) if latencies else None,
            "p99": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1)
            if latencies
            else None,
        },
    }
