"""Building the case desk inside the alert process and mounting it on the alert service's own
HTTP server (the one :class:`shared.stream.WorkerEdges` starts for /healthz, /readyz, /metrics)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry

from services.alert.desk.access_log import AccessLog
from services.alert.desk.api import Desk
from services.alert.desk.auth import LoginGuard, Sessions
from services.alert.desk.live import CaseFeed
from services.alert.desk.pages import page_routes
from services.alert.desk.pipeline import PipelineSampler
from services.alert.desk.users import Users
from services.alert.service import Alerting
from shared.health import Health
from shared.registry import Registry


def build_desk(
    alerting: Alerting,
    registry: Callable[[], Registry],
    users: Callable[[], Users],
    metrics: CollectorRegistry,
) -> Desk:
    settings = alerting.settings
    store = alerting.store
    return Desk(
        alerting=alerting,
        registry=registry,
        users=users,
        sessions=Sessions(store.client, store.keys, settings.desk_session_ttl_s),
        guard=LoginGuard(
            store.client, store.keys, settings.desk_login_max_failures, settings.desk_login_window_s
        ),
        access=AccessLog(store.client, store.keys, settings.desk_access_log_max),
        feed=CaseFeed(settings.kafka, store, settings.case_ttl_s, settings.desk_idle_s),
        pipeline=PipelineSampler(
            settings.kafka, metrics, settings.desk_pipeline_sample_s, settings.desk_idle_s
        ),
        cookie_secure=settings.desk_cookie_secure,
        heartbeat_s=settings.desk_heartbeat_s,
    )


def desk_routes(desk: Desk) -> list[web.AbstractRouteDef]:
    return [*desk.routes(), *page_routes()]


def desk_watchers(desk: Desk) -> list[Callable[[], Coroutine[Any, Any, None]]]:
    return [desk.feed.run, desk.pipeline.run]


class HealthAndDesk(Health):
    """The alert service's health endpoints, plus extra routes served on the same server."""

    def __init__(self, registry: CollectorRegistry, **options: Any) -> None:
        super().__init__(registry, **options)
        self.extra: Sequence[web.AbstractRouteDef] = ()

    def routes(self) -> list[web.RouteDef]:
        # WorkerEdges hands this list to add_routes, which takes any route definition.
        return [*super().routes(), *self.extra]  # type: ignore[list-item]
