"""The whole pipeline as three processes on a real broker and Redis: push events through HTTP,
want every accepted event to get a verdict and a repeated violation to notify exactly once."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from shared import codec
from shared.kafka import ensure_topics
from shared.schema import CaseChange, Verdict
from shared.settings import KafkaSettings, RedisSettings
from tests.conftest import routing_file, service_env
from tests.harness import TopicReader, Webhook, produce, running

pytestmark = pytest.mark.e2e
ACCOUNT = "x-1480021"


def event(event_id: str, text: str, **changes: Any) -> dict[str, Any]:
    base = {
        "event_id": event_id,
        "platform": "x",
        "kind": "post",
        "account_id": ACCOUNT,
        "created_at": "2024-01-10T08:00:00+07:00",
        "text": text,
    }
    base.update(changes)
    return base


async def test_duplicated_violation_notifies_once(
    kafka_settings: KafkaSettings, redis_settings: RedisSettings, tmp_path: Path
) -> None:
    await ensure_topics(kafka_settings)
    violation = event("p-1", "Ayo coblos Ganjar Mahfud 14 Februari, sat set!")
    pushes = [
        [violation, event("p-2", "Selamat pagi, apel pagi di kantor")],
        [violation],  # the same event again: ingest's dedup drops it
        [event("p-3", "Pokoknya dukung Ganjar sampai menang, yg lain lewat")],  # same case
        [event("p-4", "", kind="follow", target={"account_id": "x-9000101"})],
        [event("p-5", "halo", account_id="x-5550001")],  # not a registered ASN account
    ]
    verdicts, cases = kafka_settings.verdicts_topic, kafka_settings.cases_topic
    async with Webhook() as hook:
        env = service_env(
            kafka_settings,
            redis_settings,
            NETRAL_ALERT_WEBHOOK_URL=hook.url,
            NETRAL_REF_ROUTING=str(routing_file(tmp_path)),
        )
        with ExitStack() as stack:
            ingest = stack.enter_context(running("ingest", env, tmp_path))
            classify = stack.enter_context(running("classify", env, tmp_path))
            alert = stack.enter_context(running("alert", env, tmp_path))
            statuses = []
            async with aiohttp.ClientSession() as session:
                for push in pushes:
                    async with session.post(
                        f"{ingest.url}/v1/events", data=orjson.dumps(push)
                    ) as r:
                        assert r.status == 200
                        statuses += [x["status"] for x in (await r.json())["results"]]
            assert statuses == [
                "accepted",
                "accepted",
                "duplicate",
                "accepted",
                "accepted",
                "unregistered",
            ]
            # garbage written straight onto the events topic must not stop the pipeline
            await produce(kafka_settings, kafka_settings.events_topic, [(None, b"garbage{")])
            dlq = kafka_settings.dlq_topic
            async with TopicReader(kafka_settings, (verdicts, cases, dlq)) as reader:
                assert await reader.want(
                    lambda r: len(r[verdicts]) >= 4 and len(r[dlq]) >= 1, within_s=30
                )
                assert await hook.want(2, within_s=15)
                await reader.settle(2.0)
            await asyncio.sleep(6)  # one lag-sampler period
            scraped = {s.name: await _metrics(s.url) for s in (ingest, classify, alert)}
    # every service exports its metrics, and they moved with the traffic
    for name, value in [
        ("netral_ingest_events_received_total", 6),
        ("netral_ingest_events_accepted_total", 4),
        ('netral_ingest_events_rejected_total{reason="duplicate"}', 1),
        ('netral_ingest_events_rejected_total{reason="unregistered"}', 1),
    ]:
        assert _value(scraped["ingest"], name) >= value, name
    assert _value(scraped["classify"], "netral_classify_events_classified_total") >= 4
    assert _value(scraped["classify"], "netral_classify_dead_letters_total") >= 1
    assert _value(scraped["classify"], "netral_classify_rebalances_total") >= 1
    assert "netral_classify_consumer_lag_messages{" in scraped["classify"]
    assert "netral_classify_seconds_since_commit{" in scraped["classify"]
    assert _value(scraped["alert"], 'netral_alert_case_changes_total{action="opened"}') >= 2
    sent = 'netral_alert_notifications_total{channel="webhook",result="sent"}'
    assert _value(scraped["alert"], sent) >= 2
    assert _value(scraped["alert"], "netral_alert_routing_last_reload_successful") == 1
    by_event = {
        v.event_id: v for v in (codec.decode(r.value, Verdict) for r in reader.records[verdicts])
    }
    assert set(by_event) == {"p-1", "p-2", "p-3", "p-4"}
    assert by_event["p-1"].labels == ("partisan_support",)
    assert by_event["p-4"].labels == ("contestant_engagement",)
    changes = [codec.decode(r.value, CaseChange) for r in reader.records[cases]]
    support = [c for c in changes if c.case.category == "partisan_support"]
    assert {c.action for c in support} == {"opened", "occurred", "notified"}
    assert max(c.case.count for c in support) == 2
    assert [r.value for r in reader.records[dlq]] and len(reader.records[dlq]) == 1
    notified = [orjson.loads(body)["case"]["category"] for _, body in hook.requests]
    assert sorted(notified) == ["contestant_engagement", "partisan_support"]


async def _metrics(url: str) -> str:
    async with aiohttp.ClientSession() as session, session.get(f"{url}/metrics") as response:
        assert response.status == 200
        return await response.text()


def _value(text: str, prefix: str) -> float:
    """Sum of the samples whose name (and labels, when given) start with ``prefix``."""
    total = 0.0
    found = False
    for line in text.splitlines():
        if line.startswith(prefix) and not line.startswith("#"):
            name = line.split(" ")[0]
            if name.startswith(prefix) and not name.endswith("_created"):
                total += float(line.rsplit(" ", 1)[1])
                found = True
    assert found, f"{prefix} not exported"
    return total
