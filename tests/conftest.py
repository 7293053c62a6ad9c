"""Session fixtures: a real broker (the embedded Tansu binary) and a real Redis, started once;
per-test topic names and Redis prefixes so tests never see each other's data; and a guard that
fails a test when something logged an error it did not expect."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from services import runtime
from shared import embedded
from shared.settings import KafkaSettings, RedisSettings

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "tests" / "examples"


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log_path = tmp_path_factory.mktemp("broker") / "broker.log"
    bootstrap, managed = embedded.start_broker(log_path=log_path)
    yield bootstrap
    managed.stop()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The Redis named by NETRAL_TEST_REDIS_URL, else the local default, else a fresh server."""
    url, managed = embedded.resolve_redis(os.environ.get("NETRAL_TEST_REDIS_URL"))
    yield url
    if managed is not None:
        managed.stop()


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture
def kafka_settings(broker: str, unique: str) -> KafkaSettings:
    return unique_kafka_settings(broker, unique)


def unique_kafka_settings(broker: str, unique: str) -> KafkaSettings:
    """Topic names unique to a test; 4 partitions keep topic creation and group joins quick."""
    return KafkaSettings(
        bootstrap=broker,
        partitions=4,
        idempotent=False,
        events_topic=f"test-{unique}.events.v1",
        verdicts_topic=f"test-{unique}.verdicts.v1",
        cases_topic=f"test-{unique}.cases.v1",
        dlq_topic=f"test-{unique}.dlq.v1",
        client_id_prefix=f"test-{unique}",
    )


@pytest.fixture
def redis_settings(redis_url: str, unique: str) -> Iterator[RedisSettings]:
    settings = RedisSettings(url=redis_url, prefix=f"netral-test:{unique}:")
    yield settings
    from redis import Redis

    client = Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=settings.prefix + "*"))
    if keys:
        client.unlink(*keys)
    client.close()


def service_env(kafka: KafkaSettings, redis: RedisSettings, **extra: str) -> dict[str, str]:
    """Environment for a service subprocess using this test's topics and Redis namespace."""
    return runtime.service_env(kafka, redis.url, redis.prefix, **extra)


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_unexpected_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test when an error was logged in-process (e.g. by a background task) and the test
    did not declare it with ``@pytest.mark.expect_error_logs``."""
    handler = _ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    yield
    root.removeHandler(handler)
    if handler.records and not request.node.get_closest_marker("expect_error_logs"):
        messages = "; ".join(f"{r.name}: {r.getMessage()}" for r in handler.records[:5])
        pytest.fail(f"errors were logged during the test: {messages}")


FAST_ROUTING = """
version: test-fast
oversight_body: BKN
election_authority: Bawaslu
chain:
  - {{name: atasan, notify: [direct_superior], ack_within: {ack}}}
  - {{name: kepegawaian, notify: [direct_superior, agency_hr], ack_within: {ack}}}
  - name: ppk
    notify: [ppk, agency_hr]
    referral: [oversight_body, election_authority]
    ack_within: {ack}
start_level: {{low: 1, medium: 1, high: 3}}
dedup: {{by: [account_id, category]}}
escalation: {{repeat_lows: 3, raise_in_phases: [quiet, voting]}}
route:
  receiver: ops
  group_wait: 0s
  group_interval: {interval}
  repeat_interval: 24h
receivers:
  - {{name: ops, channels: [webhook, log, feed]}}
"""


def routing_file(folder: Path, ack: str = "72h", interval: str = "5m") -> Path:
    """A routing file with timers short enough for tests (the shipped one waits 30 s)."""
    path = folder / "routing.yaml"
    path.write_text(FAST_ROUTING.format(ack=ack, interval=interval))
    return path
