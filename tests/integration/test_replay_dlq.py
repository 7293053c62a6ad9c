"""Dead letters go back to their topic, byte for byte, and only the ones the filters keep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services import replay_dlq
from shared import codec
from shared.dead_letters import dead_letter
from shared.kafka import ensure_topics
from shared.settings import KafkaSettings
from tests.harness import TopicReader, produce

pytestmark = pytest.mark.integration


async def test_replay_puts_the_original_bytes_back(kafka_settings: KafkaSettings) -> None:
    await ensure_topics(kafka_settings)
    now = datetime.now(UTC)
    fixed_later = dead_letter(
        "classify",
        "Expected `str`, got `int` - at `$.account_id`",
        kafka_settings.events_topic,
        0,
        7,
        b"x-1",
        b'{"bytes": 1}',
        now,
    )
    garbage = dead_letter(
        "classify",
        "malformed JSON: x",
        kafka_settings.events_topic,
        1,
        9,
        None,
        b"\x00garbage",
        now,
    )
    old = dead_letter(
        "alert",
        "malformed JSON: y",
        kafka_settings.verdicts_topic,
        0,
        1,
        None,
        b"old",
        now - timedelta(days=3),
    )
    await produce(
        kafka_settings,
        kafka_settings.dlq_topic,
        [(None, codec.encode(x)) for x in (fixed_later, garbage, old)],
    )
    letters = await replay_dlq.read_all(kafka_settings)
    assert len(letters) == 3
    chosen = replay_dlq.Filter(stage="classify", reason_contains="$.account_id")
    picked = replay_dlq.replayable(letters, chosen, kafka_settings)
    assert [x.origin_offset for x in picked] == [7]
    recent = replay_dlq.replayable(
        letters, replay_dlq.Filter(since=now - timedelta(hours=1)), kafka_settings
    )
    assert len(recent) == 2
    assert await replay_dlq.replay(kafka_settings, picked) == 1
    async with TopicReader(kafka_settings, (kafka_settings.events_topic,)) as reader:
        assert await reader.want(lambda r: len(r[kafka_settings.events_topic]) >= 1, 10)
        await reader.settle(0.5)
    (record,) = reader.records[kafka_settings.events_topic]
    assert (record.key, record.value) == (b"x-1", b'{"bytes": 1}')
