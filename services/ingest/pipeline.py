"""The ingest pipeline shared by every source (HTTP, file replay, platform adapters):

1. validate each item (pure), 2. keep registered ASN accounts only, 3. drop repeats within the
batch and claim event ids in Redis, 4. publish keyed by ``account_id`` and wait for acks=all,
5. confirm the claims (or release them when publishing failed, so the client can retry).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from aiokafka import AIOKafkaProducer

from services.ingest.dedup import EventIds
from services.ingest.metrics import IngestMetrics
from services.ingest.validate import validate_event
from shared import codec
from shared.clock import utc_now
from shared.errors import InvalidMessage
from shared.kafka import send_batch
from shared.registry import Registry
from shared.schema import Event

log = logging.getLogger(__name__)

Status = Literal["accepted", "rejected", "unregistered", "duplicate", "unavailable"]


@dataclass(frozen=True, slots=True)
class ItemResult:
    index: int
    status: Status
    event_id: str | None = None
    reason: str | None = None


class Ingestor:
    def __init__(
        self,
        registry: Registry,
        event_ids: EventIds,
        producer: AIOKafkaProducer,
        topic: str,
        metrics: IngestMetrics,
        publish_timeout_s: float = 30.0,
    ) -> None:
        self.registry = registry
        self.event_ids = event_ids
        self.producer = producer
        self.topic = topic
        self.metrics = metrics
        self.publish_timeout_s = publish_timeout_s

    async def submit(self, items: Sequence[Any], source: str) -> list[ItemResult]:
        now = utc_now()
        self.metrics.received.labels(source).inc(len(items))
        results: list[ItemResult | None] = [None] * len(items)
        candidates: list[tuple[int, Event]] = []
        seen_in_batch: set[tuple[str, str]] = set()
        for index, item in enumerate(items):
            try:
                event = validate_event(item, now)
            except InvalidMessage as exc:
                results[index] = ItemResult(index, "rejected", _event_id_of(item), str(exc))
                continue
            asn = self.registry.lookup(event.platform, event.account_id)
            if asn is None:
                results[index] = ItemResult(
                    index, "unregistered", event.event_id, "account is not in the ASN registry"
                )
                continue
            identity = (event.platform, event.event_id)
            if identity in seen_in_batch:
                results[index] = ItemResult(
                    index, "duplicate", event.event_id, "repeated in request"
                )
                continue
            seen_in_batch.add(identity)
            candidates.append((index, dataclasses.replace(event, received_at=now, asn=asn)))
        await self._publish(candidates, results)
        final = [r for r in results if r is not None]
        for result in final:
            if result.status != "accepted":
                self.metrics.rejected.labels(result.status).inc()
        return final

    async def _publish(
        self, candidates: list[tuple[int, Event]], results: list[ItemResult | None]
    ) -> None:
        identities = [(event.platform, event.event_id) for _, event in candidates]
        claimed = await self.event_ids.claim(identities)
        to_send: list[tuple[int, Event]] = []
        for (index, event), owned in zip(candidates, claimed, strict=True):
            if owned:
                to_send.append((index, event))
            else:
                results[index] = ItemResult(index, "duplicate", event.event_id, "already received")
        if not to_send:
            return
        sent_ids = [(event.platform, event.event_id) for _, event in to_send]
        started = time.perf_counter()
        records = [(event.account_id.encode(), codec.encode(event)) for _, event in to_send]
        try:
            # A request must not hang on a broker that is down; a send still in flight when the
            # timeout fires may land later, which downstream dedup by event_id makes harmless.
            await asyncio.wait_for(
                send_batch(self.producer, self.topic, records), self.publish_timeout_s
            )
        except Exception as exc:
            await self.event_ids.release(sent_ids)
            log.error("publish failed; claims released", extra={"data": {"error": repr(exc)}})
            for index, event in to_send:
                results[index] = ItemResult(
                    index, "unavailable", event.event_id, "broker unavailable, retry later"
                )
            return
        self.metrics.publish_seconds.observe(time.perf_counter() - started)
        await self.event_ids.confirm(sent_ids)
        self.metrics.accepted.inc(len(to_send))
        for index, event in to_send:
            results[index] = ItemResult(index, "accepted", event.event_id)


def _event_id_of(item: Any) -> str | None:
    if isinstance(item, dict):
        value = item.get("event_id")
        return value if isinstance(value, str) else None
    return None
