"""``netral ingest``: the HTTP API in front of the events topic; ``netral replay`` shares it."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from aiokafka import AIOKafkaProducer
from prometheus_client import CollectorRegistry
from redis.asyncio import Redis

from services.ingest.dedup import EventIds
from services.ingest.metrics import IngestMetrics
from services.ingest.pipeline import Ingestor
from services.ingest.sources import http, replay
from shared import logging as netral_logging
from shared.health import Health, serve
from shared.kafka import make_producer
from shared.lifecycle import freeze_startup_heap, start_with_retry, stop_event
from shared.redis import Keys, make_redis
from shared.registry import load_registry
from shared.settings import IngestSettings

log = logging.getLogger(__name__)
CLOSE_TIMEOUT_S = 5.0


@dataclass
class IngestService:
    settings: IngestSettings
    ingestor: Ingestor
    producer: AIOKafkaProducer
    redis: Redis
    health: Health

    async def start(self) -> None:
        await start_with_retry(self.producer.start, "broker")

    async def close(self) -> None:
        # Clients hear "accepted" only after the broker acknowledged, so whatever is still
        # unsent at shutdown was already answered with 503: waiting longer saves nothing.
        try:
            await asyncio.wait_for(self.producer.stop(), CLOSE_TIMEOUT_S)
        except TimeoutError:
            log.warning("producer did not stop in time; unsent records were answered with 503")
        await self.redis.aclose()


def build(settings: IngestSettings) -> IngestService:
    metrics_registry = CollectorRegistry()
    metrics = IngestMetrics.create(metrics_registry)
    registry = load_registry(settings.ref.registry)
    metrics.registry_version.labels(registry.version).set(1)
    redis = make_redis(settings.redis)
    producer = make_producer(settings.kafka, "ingest")
    event_ids = EventIds(redis, Keys(settings.redis.prefix), settings.dedup_ttl_s)
    ingestor = Ingestor(
        registry,
        event_ids,
        producer,
        settings.kafka.events_topic,
        metrics,
        settings.publish_timeout_s,
    )
    health = Health(metrics_registry)
    health.add_check("redis", redis.ping)
    health.add_check("broker", lambda: _broker_ready(producer))
    health.add_check("registry", lambda: _true(len(registry.by_account) > 0))
    return IngestService(settings, ingestor, producer, redis, health)


async def _broker_ready(producer: AIOKafkaProducer) -> bool:
    return bool(await producer.client.ready(producer.client.get_random_node()))


async def _true(value: bool) -> bool:
    return value


async def serve_forever(settings: IngestSettings) -> int:
    service = build(settings)
    stopping = stop_event()
    await service.start()
    ticker = asyncio.create_task(service.health.tick_forever())
    app = http.create_app(
        service.ingestor, service.health, settings.max_request_bytes, settings.max_items_per_request
    )
    runner = await serve(app, settings.host, settings.port)
    freeze_startup_heap()
    log.info("ingest listening", extra={"data": {"host": settings.host, "port": settings.port}})
    await stopping.wait()
    log.info("ingest stopping: no new requests, flushing the producer")
    await runner.cleanup()
    ticker.cancel()
    await service.close()
    return 0


async def replay_file(settings: IngestSettings, path: Path) -> int:
    service = build(settings)
    await service.start()
    try:
        counts, problems = await replay.replay(service.ingestor, path)
    finally:
        await service.close()
    for problem in problems[:50]:
        log.warning("line not accepted", extra={"data": {"problem": problem}})
    print(dict(counts))
    return 0 if not counts["unavailable"] else 1


def run(settings: IngestSettings) -> int:
    netral_logging.configure(settings.log, "ingest")
    return asyncio.run(serve_forever(settings))
