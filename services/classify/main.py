"""``netral classify``: the faust worker that turns events into verdicts."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from prometheus_client import CollectorRegistry

from services.classify import agent
from services.classify.metrics import ClassifyMetrics
from services.classify.policy import Policy, load_policy
from services.classify.watchlist import load_watchlist
from shared import logging as netral_logging
from shared.health import Health, serve
from shared.kafka import make_producer
from shared.lifecycle import start_with_retry, stop_event
from shared.reload import Reloadable
from shared.settings import ClassifySettings
from shared.stream import assigned, make_app, run_app

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
    )
    health = Health(registry)
    producer = make_producer(settings.kafka, "classify")
    app = make_app(APP_ID, settings.kafka)
    agent.register(app, settings, lambda: policy.current, producer, metrics, health)
    health.add_check("broker", lambda: producer.client.ready(producer.client.get_random_node()))
    health.add_check("assigned", lambda: assigned(app))
    health.add_check("policy", lambda: _loaded(policy.current))
    stopping = stop_event()
    tasks: list[asyncio.Task[None]] = []
    runner: web.AppRunner | None = None

    async def before() -> None:
        nonlocal runner
        await start_with_retry(producer.start, "broker")
        web_app = web.Application()
        web_app.add_routes(health.routes())
        runner = await serve(web_app, settings.host, settings.port)
        tasks.append(asyncio.create_task(health.tick_forever()))
        tasks.append(asyncio.create_task(policy.watch(settings.ref.reload_interval_s)))
        log.info("classify started", extra={"data": {"policy": policy.current.version}})

    async def after() -> None:
        for task in tasks:
            task.cancel()
        await producer.flush()
        await producer.stop()
        if runner is not None:
            await runner.cleanup()

    return await run_app(app, stopping, before, after)


async def _loaded(policy: Policy) -> bool:
    return bool(policy.version)


def run(settings: ClassifySettings) -> int:
    netral_logging.configure(settings.log, "classify")
    return asyncio.run(serve_forever(settings))
