"""Reference-data reloads without restart: validate the new files, then swap; never swap in a bad
file (the running version stays and the failure is exported as a metric and logged)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Generic, TypeVar

from prometheus_client import CollectorRegistry, Gauge

from shared.errors import InvalidReferenceData
from shared.lifecycle import refreeze_heap

T = TypeVar("T")
log = logging.getLogger(__name__)


class Reloadable(Generic[T]):
    """Holds the current value built from ``paths`` by ``load``; ``current`` is always valid.
    ``read_from`` names further files the current value was read from (a watch-list's
    includes), so an edit there, or a newly included file, is picked up too."""

    def __init__(
        self,
        name: str,
        paths: Sequence[Path],
        load: Callable[[], T],
        service: str,
        registry: CollectorRegistry,
        read_from: Callable[[T], Sequence[Path]] = lambda _: (),
    ) -> None:
        self.name = name
        self.paths = list(paths)
        self.read_from = read_from
        self.load = load
        self.current: T = load()
        self._stamps = self._read_stamps()
        self.success = Gauge(
            f"netral_{service}_{name}_last_reload_successful",
            f"1 if the last {name} reload succeeded.",
            registry=registry,
        )
        self.success.set(1)
        self.version = Gauge(
            f"netral_{service}_{name}_version_info",
            f"The loaded {name} version (value 1).",
            ["version"],
            registry=registry,
        )
        self._show_version()

    def _show_version(self) -> None:
        self.version.clear()
        self.version.labels(str(getattr(self.current, "version", "unknown"))).set(1)

    def _read_stamps(self) -> list[float]:
        stamps = []
        for path in dict.fromkeys([*self.paths, *self.read_from(self.current)]):
            try:
                stamps.append(path.stat().st_mtime)
            except OSError:
                stamps.append(-1.0)
        return stamps

    def reload_if_changed(self) -> bool:
        stamps = self._read_stamps()
        if stamps == self._stamps:
            return False
        self._stamps = stamps
        try:
            self.current = self.load()
        except InvalidReferenceData as exc:
            self.success.set(0)
            log.error(
                f"{self.name} reload refused; keeping the loaded version",
                extra={"data": {"error": str(exc)}},
            )
            return False
        self._stamps = self._read_stamps()  # the new value may read from other files
        refreeze_heap()
        self.success.set(1)
        self._show_version()
        log.info(f"{self.name} reloaded")
        return True

    async def watch(self, interval_s: float) -> None:
        while True:
            await asyncio.sleep(interval_s)
            self.reload_if_changed()
