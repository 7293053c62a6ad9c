"""``/healthz``, ``/readyz`` and ``/metrics`` for every service, on one small aiohttp app.

Liveness means the event loop turns and the processing loop is not stuck: the service calls
:meth:`Health.progress` after each unit of work and :meth:`Health.stuck` when work is pending but
failing. Readiness means every dependency check (broker, Redis, reference data) passes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

ReadinessCheck = Callable[[], Awaitable[bool]]


class Health:
    def __init__(self, registry: CollectorRegistry, *, stall_after_s: float = 60.0) -> None:
        self.registry = registry
        self.stall_after_s = stall_after_s
        self.checks: dict[str, ReadinessCheck] = {}
        self._last_tick = time.monotonic()
        self._last_progress = time.monotonic()
        self._stuck_since: float | None = None

    def add_check(self, name: str, check: ReadinessCheck) -> None:
        self.checks[name] = check

    def progress(self) -> None:
        self._last_progress = time.monotonic()
        self._stuck_since = None

    def stuck(self) -> None:
        if self._stuck_since is None:
            self._stuck_since = time.monotonic()

    def live(self) -> tuple[bool, str]:
        now = time.monotonic()
        if now - self._last_tick > 5.0:
            return False, f"event loop blocked for {now - self._last_tick:.1f}s"
        if self._stuck_since is not None and now - self._stuck_since > self.stall_after_s:
            return False, f"processing failing for {now - self._stuck_since:.0f}s"
        return True, f"last progress {now - self._last_progress:.1f}s ago"

    async def ready(self) -> dict[str, bool]:
        results: dict[str, bool] = {}
        for name, check in self.checks.items():
            try:
                results[name] = bool(await asyncio.wait_for(check(), timeout=3.0))
            except Exception:
                results[name] = False
        return results

    async def tick_forever(self) -> None:
        while True:
            self._last_tick = time.monotonic()
            await asyncio.sleep(1.0)

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/healthz", self._healthz),
            web.get("/readyz", self._readyz),
            web.get("/metrics", self._metrics),
        ]

    async def _healthz(self, _: web.Request) -> web.Response:
        ok, detail = self.live()
        return web.json_response({"ok": ok, "detail": detail}, status=200 if ok else 503)

    async def _readyz(self, _: web.Request) -> web.Response:
        results = await self.ready()
        ok = all(results.values())
        return web.json_response({"ok": ok, "checks": results}, status=200 if ok else 503)

    async def _metrics(self, _: web.Request) -> web.Response:
        body = generate_latest(self.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def serve(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start ``app`` on host:port and return its runner (call ``runner.cleanup()`` to stop)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
