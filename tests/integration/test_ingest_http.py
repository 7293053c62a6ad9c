"""The ingest HTTP API in-process, against the real broker and Redis: what is accepted is on the
topic keyed by account, what is not gets a 4xx naming the field, and repeats publish once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aiohttp.test_utils import TestClient, TestServer

from services.ingest.main import build
from services.ingest.sources.http import create_app
from shared import codec
from shared.kafka import ensure_topics
from shared.schema import Event
from shared.settings import IngestSettings, KafkaSettings, RedisSettings
from tests.harness import TopicReader

pytestmark = pytest.mark.integration
ACCOUNT = "x-1480021"


def event(event_id: str = "ev-1", **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_id": event_id,
        "platform": "x",
        "kind": "post",
        "account_id": ACCOUNT,
        "created_at": "2024-01-10T08:00:00+07:00",
        "text": "Selamat pagi rekan-rekan",
    }
    base.update(changes)
    return base


@pytest.fixture
async def client(
    kafka_settings: KafkaSettings, redis_settings: RedisSettings
) -> AsyncIterator[TestClient]:
    await ensure_topics(kafka_settings)
    settings = IngestSettings(
        kafka=kafka_settings,
        redis=redis_settings,
        max_request_bytes=64 * 1024,
        max_items_per_request=50,
    )
    service = build(settings)
    await service.start()
    app = create_app(
        service.ingestor, service.health, settings.max_request_bytes, settings.max_items_per_request
    )
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        yield test_client
    await service.close()


async def test_accepted_events_are_published_keyed_by_account(
    client: TestClient, kafka_settings: KafkaSettings
) -> None:
    response = await client.post("/v1/events", data=orjson.dumps([event("a"), event("b")]))
    assert response.status == 200
    body = await response.json()
    assert body["accepted"] == 2
    async with TopicReader(kafka_settings, (kafka_settings.events_topic,)) as reader:
        assert await reader.want(lambda r: len(r[kafka_settings.events_topic]) >= 2, 10)
        await reader.settle(0.5)
        records = reader.records[kafka_settings.events_topic]
    assert len(records) == 2
    for record in records:
        assert record.key == ACCOUNT.encode()
        published = codec.decode(record.value, Event)
        assert published.asn is not None and published.asn.employee_id.startswith("ASN-")
        assert published.received_at is not None


async def test_ndjson_is_accepted(client: TestClient) -> None:
    body = b"\n".join(orjson.dumps(event(f"n{i}")) for i in range(3))
    response = await client.post(
        "/v1/events", data=body, headers={"Content-Type": "application/x-ndjson"}
    )
    assert response.status == 200 and (await response.json())["accepted"] == 3


async def test_repeats_and_unregistered_accounts_are_not_published(
    client: TestClient, kafka_settings: KafkaSettings
) -> None:
    first = await client.post("/v1/events", data=orjson.dumps([event("dup"), event("dup")]))
    results = (await first.json())["results"]
    assert [r["status"] for r in results] == ["accepted", "duplicate"]
    again = await client.post("/v1/events", data=orjson.dumps(event("dup")))
    assert (await again.json())["results"][0]["status"] == "duplicate"
    stranger = await client.post("/v1/events", data=orjson.dumps(event("s", account_id="x-0")))
    assert stranger.status == 200
    assert (await stranger.json())["results"][0]["status"] == "unregistered"
    async with TopicReader(kafka_settings, (kafka_settings.events_topic,)) as reader:
        await reader.want(lambda r: len(r[kafka_settings.events_topic]) >= 1, 10)
        await reader.settle(1.0)
        ids = [
            codec.decode(r.value, Event).event_id
            for r in reader.records[kafka_settings.events_topic]
        ]
    assert ids == ["dup"]


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        (b"{not json", 400, "malformed JSON"),
        (orjson.dumps(event(account_id=42)), 422, "$.account_id"),
        (orjson.dumps({k: v for k, v in event().items() if k != "created_at"}), 422, "created_at"),
        (orjson.dumps(event(kind="retweet")), 422, "$.kind"),
        (orjson.dumps([event(f"m{i}") for i in range(51)]), 413, "limit is 50"),
        (orjson.dumps(event(text="x" * 70_000)), 413, "over the limit"),
    ],
    ids=["malformed", "wrong-type", "missing-field", "unknown-kind", "too-many", "too-large"],
)
async def test_bad_input_gets_a_4xx_naming_the_problem(
    client: TestClient, body: bytes, status: int, fragment: str
) -> None:
    response = await client.post("/v1/events", data=body)
    assert response.status == status
    assert fragment in (await response.text())


async def test_partly_bad_batch_keeps_the_good_items(client: TestClient) -> None:
    response = await client.post("/v1/events", data=orjson.dumps([event("ok"), event(kind="?")]))
    assert response.status == 207
    statuses = [r["status"] for r in (await response.json())["results"]]
    assert statuses == ["accepted", "rejected"]


async def test_health_endpoints(client: TestClient) -> None:
    assert (await client.get("/healthz")).status == 200
    ready = await client.get("/readyz")
    assert ready.status == 200 and (await ready.json())["checks"]["broker"] is True
    metrics = await (await client.get("/metrics")).text()
    assert "netral_ingest_events_received_total" in metrics


@pytest.mark.expect_error_logs
async def test_broker_down_gives_503_and_the_client_may_retry(
    redis_settings: RedisSettings, unique: str, tmp_path: Any
) -> None:
    from redis.asyncio import Redis

    from shared import embedded

    bootstrap, broker = embedded.start_broker(log_path=tmp_path / "broker.log")
    kafka = KafkaSettings(
        bootstrap=bootstrap,
        partitions=1,
        idempotent=False,
        events_topic=f"down-{unique}",
        request_timeout_ms=3000,
    )
    await ensure_topics(kafka)
    settings = IngestSettings(kafka=kafka, redis=redis_settings, publish_timeout_s=2.0)
    service = build(settings)
    await service.start()
    app = create_app(service.ingestor, service.health, settings.max_request_bytes, 10)
    try:
        async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
            broker.stop()
            response = await test_client.post("/v1/events", data=orjson.dumps(event("lost?")))
            assert response.status == 503
            assert (await response.json())["results"][0]["status"] == "unavailable"
            redis = Redis.from_url(redis_settings.url)
            claims = [k async for k in redis.scan_iter(match=redis_settings.prefix + "*")]
            await redis.aclose()
            assert claims == []  # released: a retry will be accepted, not called a duplicate
    finally:
        broker.stop()
        await service.close()
