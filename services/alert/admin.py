"""Operator tools on the alert service's state, used by ``netral case``, ``netral silence`` and
``netral alert rebuild`` (and, later, the case desk API): the same decisions and the same case log
as the running service."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiokafka import TopicPartition

from services.alert.cases import Action
from services.alert.dedup import stable_id
from services.alert.escalate import next_due
from services.alert.metrics import AlertMetrics
from services.alert.outbox import Outbox
from services.alert.route import load_routing, match_routes
from services.alert.service import Alerting
from services.alert.silence import MATCH_KEYS, Silence, labels
from services.alert.store import CaseStore, epoch
from shared import codec
from shared.clock import utc_now
from shared.errors import InvalidMessage
from shared.kafka import make_consumer, make_producer
from shared.redis import Keys, make_redis
from shared.registry import load_registry
from shared.schema import CaseChange
from shared.settings import AlertSettings


@asynccontextmanager
async def connected(settings: AlertSettings) -> AsyncIterator[Alerting]:
    from prometheus_client import CollectorRegistry

    redis = make_redis(settings.redis)
    keys = Keys(settings.redis.prefix)
    producer = make_producer(settings.kafka, "alert-admin")
    await producer.start()
    routing = load_routing(settings.ref.routing)
    registry = load_registry(settings.ref.registry)
    alerting = Alerting(
        settings,
        CaseStore(redis, keys, settings.case_ttl_s),
        Outbox(redis, keys, settings.case_ttl_s),
        producer,
        lambda: routing,
        lambda: registry,
        AlertMetrics.create(CollectorRegistry()),
        {},
    )
    try:
        yield alerting
    finally:
        await producer.stop()
        await redis.aclose()


async def show(settings: AlertSettings, case_id: str) -> dict[str, Any] | None:
    async with connected(settings) as alerting:
        case = await alerting.store.get(case_id)
        if case is None:
            return None
        return {
            "case": case,
            "timeline": await alerting.store.timeline(case_id),
            "deliveries": await alerting.outbox.deliveries(case_id),
        }


async def act(settings: AlertSettings, case_id: str, action: Action) -> CaseChange:
    async with connected(settings) as alerting:
        return await alerting.act(case_id, action)


def parse_matchers(items: list[str]) -> dict[str, tuple[str, ...]]:
    """``key=value[,value]`` items; keys are the case labels silences can match."""
    matchers: dict[str, tuple[str, ...]] = {}
    for item in items:
        key, _, values = item.partition("=")
        if key not in MATCH_KEYS or not values:
            raise InvalidMessage(
                f"matcher {item!r}: use one of {', '.join(MATCH_KEYS)}=value[,value]"
            )
        matchers[key] = tuple(v for v in values.split(",") if v)
    if not matchers:
        raise InvalidMessage("a silence needs at least one matcher")
    return matchers


async def add_silence(
    settings: AlertSettings,
    matchers: dict[str, tuple[str, ...]],
    ends_at: datetime,
    author: str,
    reason: str,
) -> Silence:
    silence = new_silence(matchers, ends_at, author, reason, utc_now())
    async with connected(settings) as alerting:
        await alerting.store.put_silence(silence)
    return silence


def new_silence(
    matchers: dict[str, tuple[str, ...]], ends_at: datetime, author: str, reason: str, now: datetime
) -> Silence:
    """A checked silence starting ``now`` (the CLI and the case desk both make them here)."""
    if ends_at <= now:
        raise InvalidMessage("a silence must end in the future")
    if not reason.strip() or not author.strip():
        raise InvalidMessage("a silence needs an author and a reason")
    return Silence(
        stable_id(author, reason, now.isoformat()), matchers, now, ends_at, author, reason
    )


async def list_silences(settings: AlertSettings) -> list[Silence]:
    async with connected(settings) as alerting:
        return await alerting.store.silences()


async def expire_silence(settings: AlertSettings, silence_id: str) -> Silence:
    async with connected(settings) as alerting:
        return await end_silence(alerting.store, silence_id, utc_now())


async def end_silence(store: CaseStore, silence_id: str, now: datetime) -> Silence:
    """End a silence now (or keep its earlier end); raises KeyError for an unknown id."""
    import dataclasses

    found = {s.silence_id: s for s in await store.silences()}
    if silence_id not in found:
        raise KeyError(silence_id)
    ended = dataclasses.replace(found[silence_id], ends_at=min(now, found[silence_id].ends_at))
    await store.put_silence(ended)
    return ended


@dataclass
class Rebuilt:
    changes: int
    cases: int
    open_cases: int


async def rebuild(settings: AlertSettings, quiet_s: float = 2.0) -> Rebuilt:
    """Restore the Redis case view from ``netral.cases.v1``: each case's latest entry is its
    state, its entries in order its timeline. Reads until every partition is at the high
    watermark the broker reported in its fetch responses and nothing new came for ``quiet_s``."""
    kafka = settings.kafka
    consumer = make_consumer(kafka, group_id=None)
    await consumer.start()
    timelines: dict[str, list[CaseChange]] = {}
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(kafka.cases_topic, p)
            for p in sorted(consumer.partitions_for_topic(kafka.cases_topic) or ())
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        last = time.monotonic()
        while True:
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    entry = codec.decode(record.value, CaseChange)
                    history = timelines.setdefault(entry.case_id, [])
                    if all(e.change_id != entry.change_id for e in history):
                        history.append(entry)
                last = time.monotonic()
            positions = [await consumer.position(tp) for tp in partitions]
            caught_up = all(
                (consumer.highwater(tp) or 0) <= position
                for tp, position in zip(partitions, positions, strict=True)
            )
            if caught_up and time.monotonic() - last > quiet_s:
                break
    finally:
        await consumer.stop()
    return await _write_back(settings, timelines)


async def _write_back(settings: AlertSettings, timelines: dict[str, list[CaseChange]]) -> Rebuilt:
    routing = load_routing(settings.ref.routing)
    async with connected(settings) as alerting:
        store = alerting.store
        open_cases = 0
        for case_id, history in timelines.items():
            case = history[-1].case
            counted = [(case_id, e.event_id) for e in history if e.action in ("opened", "occurred")]
            await store.client.delete(store.keys("case", case_id, "timeline"))
            route = match_routes(labels(case), routing)[0]
            await store.save(history, counted, {case_id: epoch(next_due(case, route))})
            open_cases += case.status != "resolved"
        await asyncio.sleep(0)
    return Rebuilt(sum(len(h) for h in timelines.values()), len(timelines), open_cases)
