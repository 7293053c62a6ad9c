"""The alert worker as its own process on a real broker and Redis: repeats of one violation make
one case and one notification, replays change nothing, and the webhook is signed."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from services.alert.channels.webhook import sign
from shared import codec
from shared.kafka import ensure_topics
from shared.schema import CaseChange
from shared.settings import KafkaSettings, RedisSettings
from tests.conftest import routing_file, service_env
from tests.harness import TopicReader, Webhook, produce, running
from tests.unit.alert.factories import verdict

pytestmark = pytest.mark.integration
SECRET = "s3cret-for-tests"


async def test_one_case_one_notification_for_repeats(
    kafka_settings: KafkaSettings, redis_settings: RedisSettings, tmp_path: Path
) -> None:
    await ensure_topics(kafka_settings)
    first = verdict("e1", minutes=0)
    repeat = verdict("e2", minutes=3)
    clean = verdict("e3", labels={})
    key = first.account_id.encode()
    cases = kafka_settings.cases_topic
    async with Webhook() as hook:
        env = service_env(
            kafka_settings,
            redis_settings,
            NETRAL_ALERT_WEBHOOK_URL=hook.url,
            NETRAL_ALERT_WEBHOOK_SECRET=SECRET,
            NETRAL_REF_ROUTING=str(routing_file(tmp_path)),
        )
        with running("alert", env, tmp_path):
            await produce(
                kafka_settings,
                kafka_settings.verdicts_topic,
                [
                    (key, codec.encode(first)),
                    (key, codec.encode(first)),
                    (key, codec.encode(repeat)),
                    (key, codec.encode(clean)),
                ],
            )
            async with TopicReader(kafka_settings, (cases,)) as reader:
                assert await reader.want(
                    lambda r: (
                        {c.action for c in _changes(r[cases])} >= {"opened", "occurred", "notified"}
                    ),
                    within_s=30,
                )
                # a replay of the whole topic must not add a count or a notification
                await produce(
                    kafka_settings,
                    kafka_settings.verdicts_topic,
                    [(key, codec.encode(first)), (key, codec.encode(repeat))],
                )
                await reader.settle(2.0)
                assert await hook.want(1, within_s=5)
    changes = _changes(reader.records[cases])
    assert [c.action for c in changes].count("opened") == 1
    assert [c.action for c in changes].count("notified") == 1
    assert [c.action for c in changes].count("occurred") == 1
    assert len({c.case_id for c in changes}) == 1
    assert max(c.case.count for c in changes) == 2
    assert len(hook.requests) == 1
    headers, body = hook.requests[0]
    assert headers["X-Netral-Signature"] == sign(
        SECRET.encode(), headers["X-Netral-Timestamp"], body
    )
    payload = orjson.loads(body)
    assert payload["case"]["category"] == "partisan_support"
    assert payload["recipients"] and payload["link"].endswith(payload["case"]["case_id"])
    assert '"dukung"' in payload["summary"]


def _changes(records: list) -> list[CaseChange]:  # type: ignore[type-arg]
    return [codec.decode(r.value, CaseChange) for r in records]


async def test_garbage_verdicts_go_to_the_dlq(
    kafka_settings: KafkaSettings, redis_settings: RedisSettings, tmp_path: Path
) -> None:
    await ensure_topics(kafka_settings)
    good = verdict("g1")
    env = service_env(kafka_settings, redis_settings)
    topics = (kafka_settings.dlq_topic, kafka_settings.cases_topic)
    with running("alert", env, tmp_path):
        await produce(
            kafka_settings,
            kafka_settings.verdicts_topic,
            [
                (None, b"[1,2,3]"),
                (good.account_id.encode(), codec.encode(good)),
            ],
        )
        async with TopicReader(kafka_settings, topics) as reader:
            assert await reader.want(
                lambda r: len(r[topics[0]]) >= 1 and len(r[topics[1]]) >= 1, 30
            )


async def test_retry_budget_ends_in_a_dead_letter_and_the_live_feed_still_has_it(
    kafka_settings: KafkaSettings, redis_settings: RedisSettings, tmp_path: Path
) -> None:
    from redis.asyncio import Redis

    from shared.schema import DeadLetter

    await ensure_topics(kafka_settings)
    failing = verdict("f1")
    topics = (kafka_settings.dlq_topic, kafka_settings.cases_topic)
    async with Webhook(status=500) as hook:
        env = service_env(
            kafka_settings,
            redis_settings,
            NETRAL_ALERT_WEBHOOK_URL=hook.url,
            NETRAL_REF_ROUTING=str(routing_file(tmp_path)),
            NETRAL_ALERT_DELIVERY_ATTEMPTS="3",
            NETRAL_ALERT_DELIVERY_BACKOFF_S="0.1",
        )
        with running("alert", env, tmp_path):
            await produce(
                kafka_settings,
                kafka_settings.verdicts_topic,
                [(failing.account_id.encode(), codec.encode(failing))],
            )
            async with TopicReader(kafka_settings, topics) as reader:
                assert await reader.want(lambda r: len(r[topics[0]]) >= 1, within_s=30)
                await reader.want(
                    lambda r: any(c.action == "delivery_failed" for c in _changes(r[topics[1]])), 10
                )
    assert len(hook.requests) == 3  # the whole budget, then no more
    letter = codec.decode(reader.records[topics[0]][0].value, DeadLetter)
    assert letter.stage == "notify" and "HTTP 500" in letter.reason
    assert any(c.action == "delivery_failed" for c in _changes(reader.records[topics[1]]))
    client = Redis.from_url(redis_settings.url)
    feed = await client.xrange(redis_settings.prefix + "feed")
    await client.aclose()
    assert feed and b"partisan_support" in feed[0][1][b"entry"]


async def test_a_route_channel_that_is_not_configured_is_skipped_not_dead_lettered(
    kafka_settings: KafkaSettings, redis_settings: RedisSettings, tmp_path: Path
) -> None:
    # The routing names the webhook, but no webhook URL is set (as in a fresh `netral up`).
    await ensure_topics(kafka_settings)
    case_verdict = verdict("u1")
    env = service_env(
        kafka_settings, redis_settings, NETRAL_REF_ROUTING=str(routing_file(tmp_path))
    )
    topics = (kafka_settings.dlq_topic, kafka_settings.cases_topic)
    with running("alert", env, tmp_path):
        await produce(
            kafka_settings,
            kafka_settings.verdicts_topic,
            [(case_verdict.account_id.encode(), codec.encode(case_verdict))],
        )
        async with TopicReader(kafka_settings, topics) as reader:
            assert await reader.want(
                lambda r: any(c.action == "notified" for c in _changes(r[topics[1]])), 30
            )
            await reader.settle(2.0)
    notified = [c for c in _changes(reader.records[topics[1]]) if c.action == "notified"]
    assert notified and "webhook" not in notified[0].channels
    assert "feed" in notified[0].channels
    assert reader.records[topics[0]] == []
