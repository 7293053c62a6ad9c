"""Fan a notification out to every channel; each channel gets its own retries with backoff and
jitter, so one failing channel never stops the others."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass

from services.alert.channels.base import Channel, Delivery, Notification
from shared.schema import CaseChange

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Attempted:
    channel: str
    delivery: Delivery
    attempts: int


def render(change: CaseChange, recipients: tuple[str, ...], desk_url: str) -> Notification:
    """Who, what, why (the first matched span), the rule it enforces, severity and count."""
    who = change.asn.employee_id if change.asn else change.account_id
    where = f" ({change.asn.unit})" if change.asn else ""
    why = ""
    if change.evidence:
        first = change.evidence[0]
        why = f': "{first.match}" [{first.rule_id}; {first.enforces}]'
    summary = f"{change.category} ({change.severity}, x{change.count}) by {who}{where}{why}"
    return Notification(change, recipients, f"{desk_url.rstrip('/')}/{change.case_id}", summary)


async def deliver(
    notification: Notification,
    channels: Sequence[Channel],
    attempts: int,
    base_delay_s: float = 0.2,
) -> list[Attempted]:
    return list(
        await asyncio.gather(
            *(_with_retries(c, notification, attempts, base_delay_s) for c in channels)
        )
    )


async def _with_retries(
    channel: Channel, notification: Notification, attempts: int, base: float
) -> Attempted:
    delivery = Delivery(False, True, "not attempted")
    for attempt in range(1, attempts + 1):
        try:
            delivery = await channel.send(notification)
        except Exception as exc:  # a channel bug must not take the others down
            delivery = Delivery(False, False, f"channel error: {exc!r}")
        if delivery.ok or not delivery.retryable:
            return Attempted(channel.name, delivery, attempt)
        if attempt < attempts:
            await asyncio.sleep(base * 2 ** (attempt - 1) * (0.5 + random.random()))
    log.warning(
        "notification not delivered",
        extra={
            "channel": channel.name,
            "case_id": notification.change.case_id,
            "data": {"reason": delivery.reason},
        },
    )
    return Attempted(channel.name, delivery, attempts)
