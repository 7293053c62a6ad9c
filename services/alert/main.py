"""``netral alert``: the faust worker that turns verdicts into cases and notifications."""

from __future__ import annotations

import asyncio
import functools
import logging

from prometheus_client import CollectorRegistry

from services.alert import agent
from services.alert.channels.base import Channel
from services.alert.channels.log import LogChannel
from services.alert.channels.webhook import WebhookChannel
from services.alert.metrics import AlertMetrics
from services.alert.route import load_routing
from services.alert.store import CaseStore
from shared import logging as netral_logging
from shared.health import Health
from shared.kafka import make_producer
from shared.lifecycle import stop_event
from shared.redis import Keys, make_redis
from shared.registry import load_registry
from shared.reload import Reloadable
from shared.settings import AlertSettings
from shared.stream import WorkerEdges, assigned, make_app, run_app

log = logging.getLogger(__name__)
APP_ID = "netral-alert"


def build_channels(settings: AlertSettings) -> list[Channel]:
    channels: list[Channel] = []
    if settings.webhook_url:
        secret = (
            settings.webhook_secret.get_secret_value().encode() if settings.webhook_secret else None
        )
        channels.append(WebhookChannel(settings.webhook_url, secret, settings.webhook_timeout_s))
    if settings.log_channel:
        channels.append(LogChannel())
    return channels


async def serve_forever(settings: AlertSettings) -> int:
    registry_metrics = CollectorRegistry()
    metrics = AlertMetrics.create(registry_metrics)
    routing = Reloadable(
        "routing",
        [settings.ref.routing],
        lambda: load_routing(settings.ref.routing),
        "alert",
        registry_metrics,
    )
    org = Reloadable(
        "registry",
        [settings.ref.registry],
        lambda: load_registry(settings.ref.registry),
        "alert",
        registry_metrics,
    )
    redis = make_redis(settings.redis)
    producer = make_producer(settings.kafka, "alert")
    channels = build_channels(settings)
    health = Health(registry_metrics)
    ctx = agent.Context(
        settings,
        CaseStore(redis, Keys(settings.redis.prefix), settings.case_ttl_s),
        producer,
        channels,
        lambda: routing.current,
        lambda: org.current,
        metrics,
        health,
    )
    app = make_app(APP_ID, settings.kafka)
    agent.register(app, ctx)
    health.add_check("assigned", lambda: assigned(app))
    health.add_check("redis", redis.ping)
    watchers = [functools.partial(r.watch, settings.ref.reload_interval_s) for r in (routing, org)]
    closers = [*(channel.close for channel in channels), redis.aclose]
    edges = WorkerEdges(producer, health, settings.host, settings.port, watchers, closers)
    log.info("alert starting", extra={"data": {"channels": [c.name for c in channels]}})
    return await run_app(app, stop_event(), edges.start, edges.stop)


def run(settings: AlertSettings) -> int:
    netral_logging.configure(settings.log, "alert")
    return asyncio.run(serve_forever(settings))
