"""Typed settings from ``NETRAL_*`` environment variables.

Each shared piece reads its own prefix (``NETRAL_KAFKA_BOOTSTRAP``, ``NETRAL_REDIS_URL``...),
and the service settings compose them. Settings are built once in ``main`` and passed down;
tests construct them with keyword arguments instead of touching ``os.environ``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEPLOY_CONFIG = REPO_ROOT / "deploy" / "config"


def _config(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, frozen=True, extra="ignore")


class KafkaSettings(BaseSettings):
    model_config = _config("NETRAL_KAFKA_")

    bootstrap: str = "127.0.0.1:9092"
    partitions: int = Field(12, ge=1, description="partitions per topic: the ceiling on consumers")
    replication: int = Field(1, ge=1)
    # Tansu (the embedded broker) answers InitProducerId with an error, so `netral up` turns
    # idempotence off there; production on Apache Kafka keeps it on.
    idempotent: bool = True
    linger_ms: int = Field(2, ge=0)
    max_batch_bytes: int = Field(1_048_576, ge=16_384)
    fetch_max_wait_ms: int = Field(10, ge=1)
    # What a consumer takes per poll and prefetches, which bounds a lagging worker's memory:
    # unbounded (faust's default), one poll held 35,000 decoded events of a backlog.
    max_poll_records: int = Field(2_000, ge=1)
    fetch_max_bytes: int = Field(4_194_304, ge=65_536)
    fetch_partition_bytes: int = Field(1_048_576, ge=16_384)
    request_timeout_ms: int = Field(30_000, ge=1_000)
    session_timeout_s: float = Field(6.0, gt=0)
    heartbeat_interval_s: float = Field(1.0, gt=0)
    client_id_prefix: str = "netral"
    events_topic: str = "netral.events.v1"
    verdicts_topic: str = "netral.verdicts.v1"
    cases_topic: str = "netral.cases.v1"
    dlq_topic: str = "netral.dlq.v1"


class RedisSettings(BaseSettings):
    model_config = _config("NETRAL_REDIS_")

    url: str = "redis://127.0.0.1:6379/0"
    # Every key starts with this; the embedded default scopes it to one broker's lifetime.
    prefix: str = "netral:"
    socket_timeout_s: float = Field(5.0, gt=0)


class LogSettings(BaseSettings):
    model_config = _config("NETRAL_LOG_")

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["json", "text"] = "json"


class ReferenceSettings(BaseSettings):
    """Paths to the versioned reference data (registry, watch-list, routing, policy pack)."""

    model_config = _config("NETRAL_REF_")

    registry: Path = DEPLOY_CONFIG / "registry.sample.yaml"
    watchlist: Path = DEPLOY_CONFIG / "watchlist.yaml"
    routing: Path = DEPLOY_CONFIG / "routing.yaml"
    policy: Path = REPO_ROOT / "services" / "classify" / "policies" / "neutrality-2024.yaml"
    reload_interval_s: float = Field(30.0, gt=0)


class IngestSettings(BaseSettings):
    model_config = _config("NETRAL_INGEST_")

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    max_request_bytes: int = Field(4 * 1024 * 1024, ge=1024)
    max_items_per_request: int = Field(5_000, ge=1)
    dedup_ttl_s: int = Field(7 * 24 * 3600, ge=60)
    publish_timeout_s: float = Field(30.0, gt=0)
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    ref: ReferenceSettings = Field(default_factory=ReferenceSettings)


class ClassifySettings(BaseSettings):
    model_config = _config("NETRAL_CLASSIFY_")

    host: str = "127.0.0.1"
    port: int = Field(8081, ge=0, le=65535)
    batch_max: int = Field(500, ge=1)
    batch_within_s: float = Field(0.005, gt=0)
    produce_deadline_s: float = Field(120.0, gt=0)
    # Stop the worker when more than this share of a window of messages is dead-lettered:
    # a flood of invalid input is an incident, not something to shovel into the DLQ.
    dlq_guard_ratio: float = Field(0.5, gt=0, le=1)
    dlq_guard_window: int = Field(1000, ge=10)
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    ref: ReferenceSettings = Field(default_factory=ReferenceSettings)


class AlertSettings(BaseSettings):
    model_config = _config("NETRAL_ALERT_")

    host: str = "127.0.0.1"
    port: int = Field(8082, ge=0, le=65535)
    batch_max: int = Field(500, ge=1)
    batch_within_s: float = Field(0.005, gt=0)
    produce_deadline_s: float = Field(120.0, gt=0)
    min_severity: Literal["low", "medium", "high"] = "low"
    case_ttl_s: int = Field(90 * 24 * 3600, ge=60)
    case_desk_url: str = "http://127.0.0.1:8082/cases"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_timeout_s: float = Field(5.0, gt=0)
    delivery_attempts: int = Field(8, ge=1)
    delivery_backoff_s: float = Field(0.5, gt=0)
    delivery_backoff_cap_s: float = Field(60.0, gt=0)
    log_channel: bool = True
    slack_url: str | None = None
    telegram_token: SecretStr | None = None
    telegram_chat_id: str | None = None
    telegram_base_url: str = "https://api.telegram.org"
    smtp_host: str | None = None
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_sender: str = "netral@localhost"
    smtp_recipients: list[str] = Field(default_factory=list)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    # The case desk (JSON API and pages) on this service's HTTP server. Without a users file
    # nobody can sign in; `netral up` uses the demo users (deploy/demo/desk-users.yaml).
    desk_enabled: bool = True
    desk_users: Path | None = None
    desk_session_ttl_s: int = Field(8 * 3600, ge=60)
    desk_cookie_secure: bool = False
    desk_login_max_failures: int = Field(5, ge=1)
    desk_login_window_s: int = Field(15 * 60, ge=1)
    desk_heartbeat_s: float = Field(15.0, gt=0)
    desk_pipeline_sample_s: float = Field(5.0, gt=0)
    desk_access_log_max: int = Field(1_000_000, ge=1000)
    # The desk follows the case log and samples the broker only while it is used.
    desk_idle_s: float = Field(600.0, gt=0)
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    ref: ReferenceSettings = Field(default_factory=ReferenceSettings)


ALL_SETTINGS: tuple[type[BaseSettings], ...] = (
    KafkaSettings,
    RedisSettings,
    LogSettings,
    ReferenceSettings,
    IngestSettings,
    ClassifySettings,
    AlertSettings,
)


def env_fields() -> dict[str, tuple[type[BaseSettings], str]]:
    """Every environment variable the settings read, mapped to (class, field). Nested settings
    are left out: they read their own prefix. Deployment checks use this to refuse typos."""
    fields: dict[str, tuple[type[BaseSettings], str]] = {}
    for cls in ALL_SETTINGS:
        prefix = cls.model_config["env_prefix"]
        for name, info in cls.model_fields.items():
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseSettings):
                continue
            fields[f"{prefix}{name}".upper()] = (cls, name)
    return fields
