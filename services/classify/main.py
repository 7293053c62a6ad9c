"""``netral classify``: the faust worker that turns events into verdicts."""

from __future__ import annotations

import asyncio
import functools
import logging

from prometheus_client import CollectorRegistry

from services.classify import agent
from services.classify.metrics import ClassifyMetrics
from services.classify.policy import Policy, load_policy
from services.classify.watchlist import load_watchlist
from shared import logging as netral_logging
from shared.health import Health
from shared.kafka import make_producer
from shared.lifecycle import stop_event
from shared.reload import Reloadable
from shared.settings import ClassifySettings
from shared.stream import (
    WorkerEdges,
    assigned,
    counting_rebalances,
    make_app,
    run_app,
    sample_consumer,
)

log = logging.getLogger(__name__)
APP_ID = "netral-classify"


def load(settings: ClassifySettings) -> Policy:
    return load_policy(settings.ref.policy, load_watchlist(settings.ref.watchlist))


async def serve_forever(settings: ClassifySettings) -> int:
    registry = CollectorRegistry()
    metrics = ClassifyMetrics.create(registry)
    policy = Reloadable(
        "policy",
        [settings.ref.policy, settings.ref.watchlist],
        lambda: load(settings),
        "classify",
        registry,
        read_from=lambda current: current.watchlist.files,
    )
    health = Health(registry)
    producer = make_producer(settings.kafka, "classify")
    app = make_app(APP_ID, settings.kafka)
    agent.register(app, settings, lambda: policy.current, producer, metrics, health)
    health.add_check("assigned", lambda: assigned(app))
    health.add_check("policy", lambda: _loaded(policy.current))
    reload = functools.partial(policy.watch, settings.ref.reload_interval_s)
    sampler = functools.partial(sample_consumer, app, metrics.consumer, health)
    app.on_rebalance_complete.connect(counting_rebalances(metrics.consumer))
    edges = WorkerEdges(producer, health, settings.host, settings.port, [reload, sampler])
    log.info("classify starting", extra={"data": {"policy": policy.current.version}})
    return await run_app(app, stop_event(), edges.start, edges.stop)


async def _loaded(policy: Policy) -> bool:
    return bool(policy.version)


def run(settings: ClassifySettings) -> int:
    netral_logging.configure(settings.log, "classify")
    return asyncio.run(serve_forever(settings))
