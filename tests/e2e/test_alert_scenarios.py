"""The alert service as its own process on a real broker and Redis, through the scenarios its
users care about: a burst is one case and one notification; each account reaches its own
supervisor; silence escalates and acknowledgement stops it; a silence mutes and its end is
announced; a failing webhook gets the notification exactly once when it recovers; and the Redis
view comes back from the case log after Redis lost it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from aiohttp import web

from services.alert import admin
from services.alert.cases import Action
from shared import codec
from shared.kafka import ensure_topics
from shared.registry import load_registry
from shared.schema import CaseChange, Verdict
from shared.settings import AlertSettings, KafkaSettings, RedisSettings, ReferenceSettings
from tests.conftest import routing_file, service_env
from tests.harness import TopicReader, Webhook, produce, running
from tests.unit.alert.factories import verdict

pytestmark = pytest.mark.e2e
REGISTRY = load_registry(ReferenceSettings().registry)
NOW = datetime.now(UTC)


def verdict_for(account: str, platform: str, event_id: str, labels: dict[str, str]) -> Verdict:
    """A verdict for a real registry account, dated now (so timers run in real time)."""
    base = verdict(event_id, labels, account_id=account, contestants=())
    asn = REGISTRY.lookup(platform, account)
    event = dataclasses.replace(base.event, platform=platform, asn=asn, created_at=NOW)  # type: ignore[arg-type]
    return dataclasses.replace(base, event=event)


class FlakyWebhook(Webhook):
    """Answers 500 to the first ``failures`` case notifications, then 200."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures
        self.accepted: list[dict] = []  # type: ignore[type-arg]
        self.accepted_ids: list[str] = []

    async def _receive(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.requests.append((dict(request.headers), body))
        self._arrived.set()
        payload = orjson.loads(body)
        if "case" in payload and self.failures > 0:
            self.failures -= 1
            return web.json_response({"ok": False}, status=500)
        self.accepted.append(payload)
        self.accepted_ids.append(request.headers.get("X-Netral-Delivery", ""))
        return web.json_response({"ok": True})


async def test_alert_scenarios(
    kafka_settings: KafkaSettings, redis_settings: RedisSettings, tmp_path: Path
) -> None:
    await ensure_topics(kafka_settings)
    routing = routing_file(tmp_path, ack="4s", interval="10m")
    settings = AlertSettings(
        kafka=kafka_settings,
        redis=redis_settings,
        ref=ReferenceSettings(routing=routing),
    )
    a_account, b_account = (
        "x-1480115",
        "fb-100041150204",
    )  # ASN-0015 (boss ASN-0014), ASN-0004 (ASN-0003)
    burst = [
        verdict_for(a_account, "x", f"a-{n}", {"partisan_support": "medium"}) for n in range(50)
    ]
    other = verdict_for(b_account, "facebook", "b-1", {"partisan_support": "medium"})
    async with FlakyWebhook(failures=2) as hook:
        env = service_env(
            kafka_settings,
            redis_settings,
            NETRAL_ALERT_WEBHOOK_URL=hook.url,
            NETRAL_REF_ROUTING=str(routing),
            NETRAL_ALERT_DELIVERY_BACKOFF_S="0.2",
        )
        with running("alert", env, tmp_path):
            # 1. burst and a second account; the webhook fails twice first
            await produce(
                kafka_settings,
                kafka_settings.verdicts_topic,
                [
                    *((v.account_id.encode(), codec.encode(v)) for v in burst),
                    (other.account_id.encode(), codec.encode(other)),
                ],
            )
            assert await _want(hook, lambda a: len(_cases(a)) >= 2, 20)
            first = {c["account_id"]: c for c in _cases(hook.accepted)}
            # acknowledge B before its deadline; leave A alone
            b_case = first[b_account]["case_id"]
            await admin.act(settings, b_case, Action("acknowledge", "ASN-0003", "sedang dicek"))
            # 2. a silence on hoax, then a hoax verdict
            silence = await admin.add_silence(
                settings,
                {"category": ("hoax",)},
                datetime.now(UTC) + timedelta(seconds=3),
                "ops-1",
                "uji senyap",
            )
            hoax = verdict_for(b_account, "facebook", "b-2", {"hoax": "medium"})
            await produce(
                kafka_settings,
                kafka_settings.verdicts_topic,
                [(hoax.account_id.encode(), codec.encode(hoax))],
            )
            # 3. A escalates after 4 s without acknowledgement; the silence ends after 3 s
            escalated = lambda a: any(x["case"]["level"] > 1 for x in _cases_raw(a))  # noqa: E731
            assert await _want(hook, escalated, 20)
            assert await _want(hook, lambda a: any("notice" in x.get("version", "") for x in a), 10)
            async with TopicReader(kafka_settings, (kafka_settings.cases_topic,)) as reader:
                await reader.want(lambda r: len(r[kafka_settings.cases_topic]) >= 5, 10)
                await reader.settle(1.5)
    before = await admin.show(settings, first[a_account]["case_id"])
    async with TopicReader(kafka_settings, (kafka_settings.cases_topic,)) as reader:
        await reader.settle(1.0)
    log = [codec.decode(r.value, CaseChange) for r in reader.records[kafka_settings.cases_topic]]

    # one case, one notification for the burst of 50; later ones only as it climbs the chain
    a_sent = [x for x in _cases_raw(hook.accepted) if x["case"]["account_id"] == a_account]
    assert len({x["case"]["case_id"] for x in a_sent}) == 1
    assert before is not None and before["case"].count == 50
    levels = [x["case"]["level"] for x in a_sent]
    assert levels[0] == 1 and len(levels) >= 2 and levels == sorted(set(levels))
    assert any(c.action == "escalated" for c in log if c.case_id == a_sent[0]["case"]["case_id"])
    # each account reaches its own supervisor
    assert "supervisor:ASN-0014" in a_sent[0]["recipients"]
    b_sent = [x for x in _cases_raw(hook.accepted) if x["case"]["case_id"] == b_case]
    assert len(b_sent) == 1 and b_sent[0]["case"]["level"] == 1  # acknowledged: never escalated
    assert not any(c.action == "escalated" for c in log if c.case_id == b_case)
    assert "supervisor:ASN-0003" in b_sent[0]["recipients"]
    # the silenced hoax case was decided but sent nowhere; the silence's end was announced
    hoax_log = [c for c in log if c.case.category == "hoax"]
    assert hoax_log and any(c.action == "notified" and c.channels == () for c in hoax_log)
    # (it reaches people only later, when it climbs the chain after the silence ended)
    assert all(
        x["case"]["level"] > 1 for x in _cases_raw(hook.accepted) if x["case"]["category"] == "hoax"
    )
    assert any(silence.silence_id in x.get("text", "") for x in hook.accepted)
    # the flaky webhook: each notification accepted exactly once despite two 500s
    delivery_ids = [h["X-Netral-Delivery"] for h, _ in hook.requests if "X-Netral-Delivery" in h]
    accepted_ids = [i for i in hook.accepted_ids if i]
    assert len(accepted_ids) == len(_cases_raw(hook.accepted)) == len(set(accepted_ids))
    assert len(delivery_ids) == len(accepted_ids) + 2
    assert set(delivery_ids) == set(accepted_ids)  # the two that failed came back and landed
    assert before is not None and any(d.ok for d in before["deliveries"])

    # Redis loses everything; the case log brings the view back
    from redis.asyncio import Redis

    client = Redis.from_url(redis_settings.url)
    keys = [k async for k in client.scan_iter(match=redis_settings.prefix + "*")]
    await client.delete(*keys)
    await client.aclose()
    assert await admin.show(settings, first[a_account]["case_id"]) is None
    rebuilt = await admin.rebuild(settings)
    assert rebuilt.cases == len({c.case_id for c in log})
    after = await admin.show(settings, first[a_account]["case_id"])
    assert after is not None
    assert after["case"] == before["case"]
    assert [e.change_id for e in after["timeline"]] == [e.change_id for e in before["timeline"]]


def _cases_raw(accepted: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    return [x for x in accepted if "case" in x]


def _cases(accepted: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    return [x["case"] for x in _cases_raw(accepted)]


async def _want(hook: FlakyWebhook, predicate, within_s: float) -> bool:  # type: ignore[no-untyped-def]
    import asyncio
    import time

    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if predicate(hook.accepted):
            return True
        await asyncio.sleep(0.1)
    return bool(predicate(hook.accepted))
