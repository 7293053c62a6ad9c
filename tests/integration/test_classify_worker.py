"""The classify worker as its own process on a real broker: every valid event gets a verdict,
garbage goes to the DLQ with its original bytes, and the worker keeps going."""

from __future__ import annotations

import base64
from pathlib import Path

import orjson
import pytest

from shared import codec
from shared.kafka import ensure_topics
from shared.schema import DeadLetter, Verdict
from shared.settings import KafkaSettings, RedisSettings
from tests.conftest import service_env
from tests.harness import TopicReader, produce, running

pytestmark = pytest.mark.integration


def event_bytes(event_id: str, text: str, kind: str = "post", target: str | None = None) -> bytes:
    event = {
        "event_id": event_id,
        "platform": "x",
        "kind": kind,
        "account_id": "x-1480021",
        "created_at": "2024-01-10T08:00:00+07:00",
        "text": text,
        "target": {"account_id": target} if target else None,
    }
    return orjson.dumps(event)


async def test_verdicts_and_dead_letters(
    kafka_settings: KafkaSettings, redis_settings: RedisSettings, tmp_path: Path
) -> None:
    await ensure_topics(kafka_settings)
    garbage = b"\x00\x01 definitely not an event"
    wrong_type = orjson.dumps({"event_id": 7, "platform": "x"})
    inputs = [
        (b"x-1480021", event_bytes("v1", "Ayo dukung Prabowo Gibran sampai menang!")),
        (b"x-1480021", garbage),
        (b"x-1480021", wrong_type),
        (b"x-1480021", event_bytes("v2", "", kind="like", target="x-9000301")),
        (b"x-1480021", event_bytes("v3", "Selamat pagi, semangat bekerja")),
    ]
    env = service_env(kafka_settings, redis_settings)
    topics = (kafka_settings.verdicts_topic, kafka_settings.dlq_topic)
    with running("classify", env, tmp_path):
        await produce(kafka_settings, kafka_settings.events_topic, inputs)
        async with TopicReader(kafka_settings, topics) as reader:
            done = await reader.want(
                lambda r: len(r[topics[0]]) >= 3 and len(r[topics[1]]) >= 2, within_s=30
            )
            await reader.settle(1.0)
    assert done, {t: len(v) for t, v in reader.records.items()}
    verdicts = {
        v.event_id: v for v in (codec.decode(r.value, Verdict) for r in reader.records[topics[0]])
    }
    assert set(verdicts) == {"v1", "v2", "v3"}
    assert verdicts["v1"].labels == ("partisan_support",)
    assert verdicts["v2"].labels == ("contestant_engagement",)
    assert verdicts["v3"].labels == ()
    assert all(r.key == b"x-1480021" for r in reader.records[topics[0]])
    letters = [codec.decode(r.value, DeadLetter) for r in reader.records[topics[1]]]
    assert len(letters) == 2
    by_bytes = {base64.b64decode(letter.value_b64): letter for letter in letters}
    assert set(by_bytes) == {garbage, wrong_type}
    assert by_bytes[garbage].reason.startswith("malformed JSON")
    assert "$.event_id" in by_bytes[wrong_type].reason
    assert by_bytes[garbage].origin_topic == kafka_settings.events_topic
    assert by_bytes[garbage].stage == "classify"
