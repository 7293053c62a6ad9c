"""``netral alert``: the faust worker that turns verdicts into cases and notifications."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import socket
from collections.abc import Callable, Coroutine
from typing import Any

from prometheus_client import CollectorRegistry
from redis.asyncio import Redis

from services.alert import agent
from services.alert.cases import change
from services.alert.channels.base import Channel, Delivery
from services.alert.channels.email import EmailChannel
from services.alert.channels.feed import FeedChannel
from services.alert.channels.log import LogChannel
from services.alert.channels.slack import SlackChannel
from services.alert.channels.telegram import TelegramChannel
from services.alert.channels.webhook import WebhookChannel
from services.alert.desk.server import HealthAndDesk, build_desk, desk_routes, desk_watchers
from services.alert.desk.users import Users, load_users
from services.alert.metrics import AlertMetrics
from services.alert.outbox import Dispatcher, Outbox, Queued, RetryPolicy
from services.alert.route import Routing, load_routing
from services.alert.service import Alerting
from services.alert.store import CaseStore
from shared import codec
from shared import logging as netral_logging
from shared.clock import utc_now
from shared.dead_letters import dead_letter
from shared.kafka import make_producer
from shared.lifecycle import stop_event
from shared.redis import Keys, make_redis
from shared.registry import Registry, load_registry
from shared.reload import Reloadable
from shared.settings import AlertSettings
from shared.stream import (
    WorkerEdges,
    assigned,
    counting_rebalances,
    make_app,
    run_app,
    sample_consumer,
)

log = logging.getLogger(__name__)
APP_ID = "netral-alert"


def build_channels(settings: AlertSettings, redis: Redis) -> dict[str, Channel]:
    """Every channel the settings configure, by name (routes pick among them)."""
    channels: dict[str, Channel] = {"feed": FeedChannel(redis, Keys(settings.redis.prefix))}
    timeout = settings.webhook_timeout_s
    if settings.webhook_url:
        secret = (
            settings.webhook_secret.get_secret_value().encode() if settings.webhook_secret else None
        )
        channels["webhook"] = WebhookChannel(settings.webhook_url, secret, timeout)
    if settings.log_channel:
        channels["log"] = LogChannel()
    if settings.slack_url:
        channels["slack"] = SlackChannel(settings.slack_url, timeout)
    if settings.telegram_token and settings.telegram_chat_id:
        channels["telegram"] = TelegramChannel(
            settings.telegram_token.get_secret_value(),
            settings.telegram_chat_id,
            settings.telegram_base_url,
            timeout,
        )
    if settings.smtp_host and settings.smtp_recipients:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        channels["email"] = EmailChannel(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_sender,
            settings.smtp_recipients,
            settings.smtp_username,
            password,
            settings.smtp_starttls,
            timeout,
        )
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
    keys = Keys(settings.redis.prefix)
    producer = make_producer(settings.kafka, "alert")
    channels = build_channels(settings, redis)
    health = HealthAndDesk(registry_metrics)
    outbox = Outbox(redis, keys, settings.case_ttl_s)
    alerting = Alerting(
        settings,
        CaseStore(redis, keys, settings.case_ttl_s),
        outbox,
        producer,
        lambda: routing.current,
        lambda: org.current,
        metrics,
        channels,
    )
    dispatcher = Dispatcher(
        outbox,
        channels,
        RetryPolicy(
            settings.delivery_attempts, settings.delivery_backoff_s, settings.delivery_backoff_cap_s
        ),
        consumer=f"alert-{os.getpid()}-{socket.gethostname()}",
        on_attempt=lambda q, d, s: _count_attempt(metrics, q, d, s),
        on_give_up=lambda q, d: _give_up(alerting, q, d),
    )
    app = make_app(APP_ID, settings.kafka)
    agent.register(app, alerting, health)
    health.add_check("assigned", lambda: assigned(app))
    health.add_check("redis", redis.ping)
    interval = settings.ref.reload_interval_s
    watchers: list[Callable[[], Coroutine[Any, Any, None]]] = [
        functools.partial(r.watch, interval) for r in (routing, org)
    ]
    watchers.append(functools.partial(sample_consumer, app, metrics.consumer, health))
    app.on_rebalance_complete.connect(counting_rebalances(metrics.consumer))
    watchers += [
        functools.partial(agent.run_timers, alerting),
        functools.partial(agent.run_dispatcher, dispatcher),
    ]
    closers = [*(channel.close for channel in channels.values()), redis.aclose]
    if settings.desk_enabled:
        users = desk_users(settings, lambda: org.current, registry_metrics)
        desk = build_desk(alerting, lambda: org.current, lambda: users.current, registry_metrics)
        health.extra = desk_routes(desk)
        watchers += [*desk_watchers(desk), functools.partial(users.watch, interval)]
        closers.insert(0, desk.close)
    edges = WorkerEdges(producer, health, settings.host, settings.port, watchers, closers)
    log.info("alert starting", extra={"data": {"channels": sorted(channels)}})
    _warn_unconfigured(routing.current, channels)
    return await run_app(app, stop_event(), edges.start, edges.stop)


def desk_users(
    settings: AlertSettings, org: Callable[[], Registry], metrics: CollectorRegistry
) -> Reloadable[Users]:
    path = settings.desk_users
    if path is None:
        log.warning("no NETRAL_ALERT_DESK_USERS file: nobody can sign in to the case desk")

    def load() -> Users:
        if path is None:
            return Users("none", {})
        if not path.exists():
            # An optional Kubernetes Secret not created yet: serve without users until it appears
            # (the reload watch picks it up) instead of crash-looping the whole alert service.
            log.warning(
                "the case desk users file does not exist (yet): nobody can sign in",
                extra={"data": {"path": str(path)}},
            )
            return Users("none", {})
        return load_users(path, org())

    return Reloadable("desk_users", [path] if path else [], load, "alert", metrics)


def _warn_unconfigured(routing: Routing, channels: dict[str, Channel]) -> None:
    named = {name for receiver in routing.receivers for name in receiver.channels}
    missing = sorted(named - set(channels))
    if missing:
        log.warning(
            "routes name channels that are not configured; their notifications are skipped",
            extra={"data": {"channels": missing, "configured": sorted(channels)}},
        )


def _count_attempt(
    metrics: AlertMetrics, queued: Queued, delivery: Delivery, took_s: float
) -> None:
    metrics.notifications.labels(queued.channel, "sent" if delivery.ok else "failed").inc()
    if delivery.ok:
        now = utc_now()
        metrics.delivery_seconds.observe((now - queued.change.at).total_seconds())
        received = queued.change.case.last_received_at
        if received is not None and queued.change.action == "notified":
            metrics.event_to_notification.observe((now - received).total_seconds())


async def _give_up(alerting: Alerting, queued: Queued, delivery: Delivery) -> None:
    """After the retry budget: a dead letter and a case-log entry, so people see it failed."""
    now = utc_now()
    letter = dead_letter(
        "notify",
        f"{queued.channel}: {delivery.reason} after {queued.attempt} attempts",
        "outbox",
        0,
        0,
        queued.change.case_id.encode(),
        codec.encode(queued),
        now,
    )
    entry = change(
        queued.change.case,
        "delivery_failed",
        now,
        note=f"{queued.channel}: {delivery.reason}",
        channels=(queued.channel,),
    )
    await alerting.record([entry], [letter])
    alerting.metrics.cases.labels("delivery_failed").inc()


def run(settings: AlertSettings) -> int:
    netral_logging.configure(settings.log, "alert")
    return asyncio.run(serve_forever(settings))
