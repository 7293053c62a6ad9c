"""The alert stream and its background loops. The faust agent only moves batches of verdicts
into :class:`Alerting`; timers and deliveries run beside it, never inside it."""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import cast

import faust
from faust.streams import Stream

from services.alert.outbox import Dispatcher
from services.alert.service import Alerting
from shared.health import Health
from shared.stream import retry_until

log = logging.getLogger(__name__)
TIMER_INTERVAL_S = 0.1


def register(app: faust.App, alerting: Alerting, health: Health) -> None:
    settings = alerting.settings
    verdicts = app.topic(settings.kafka.verdicts_topic, value_type=bytes, key_type=bytes)

    def on_retry() -> None:
        alerting.metrics.retries.inc()
        health.stuck()

    @app.agent(verdicts, name="alert-verdicts")
    async def alert_verdicts(stream: faust.StreamT[bytes]) -> None:
        batches = cast(Stream[bytes], stream).take_events(
            settings.batch_max, within=settings.batch_within_s
        )
        async for batch in batches:
            messages = [event.message for event in batch]
            due_now = await retry_until(
                functools.partial(alerting.handle_verdicts, messages),
                settings.produce_deadline_s,
                "handling verdicts",
                on_retry,
            )
            health.progress()
            await alerting.fire_now(due_now)


async def run_timers(alerting: Alerting) -> None:
    """Fire due timers forever (the agent fires those a verdict batch left due at once); a
    failure is logged and retried on the next tick (claimed timers come back after their
    lease)."""
    while True:
        try:
            await alerting.run_timers()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("timer run failed; retrying")
            await asyncio.sleep(1.0)
        await asyncio.sleep(TIMER_INTERVAL_S)


async def run_dispatcher(dispatcher: Dispatcher) -> None:
    while True:
        try:
            await dispatcher.run()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("dispatcher failed; restarting it")
            await asyncio.sleep(1.0)
