"""The channel protocol: ``name`` and ``async send(notification) -> Delivery``.

A channel never raises for a delivery problem: it answers ``Delivery(ok=False, retryable=...)``
so the caller decides on retries and records every attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from shared.schema import CaseChange


@dataclass(frozen=True, slots=True)
class Notification:
    """What every channel renders: the case change, who it is for, and where to look."""

    change: CaseChange
    recipients: tuple[str, ...]
    link: str
    summary: str
    delivery_id: str = ""


@dataclass(frozen=True, slots=True)
class Delivery:
    ok: bool
    retryable: bool = False
    reason: str = ""


class Channel(Protocol):
    name: str

    async def send(self, notification: Notification) -> Delivery: ...

    async def close(self) -> None: ...
