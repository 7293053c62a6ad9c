"""The live feed: every notification appended to a capped Redis stream, which the case desk
reads (Server-Sent Events) to show cases as they open, without reloading."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import RedisError

from services.alert.channels.base import Delivery, Notification
from shared import codec
from shared.redis import Keys

FEED_LENGTH = 10_000


class FeedChannel:
    name = "feed"

    def __init__(self, client: Redis, keys: Keys) -> None:
        self.client = client
        self.stream = keys("feed")

    async def send(self, notification: Notification) -> Delivery:
        entry = {
            "summary": notification.summary,
            "link": notification.link,
            "recipients": notification.recipients,
            "action": notification.change.action,
            "case": notification.change.case,
        }
        try:
            await self.client.xadd(
                self.stream, {"entry": codec.encode(entry)}, maxlen=FEED_LENGTH, approximate=True
            )
        except RedisError as exc:
            return Delivery(False, True, f"redis: {exc!r}")
        return Delivery(ok=True)

    async def notice(self, text: str) -> Delivery:
        try:
            await self.client.xadd(
                self.stream, {"notice": text}, maxlen=FEED_LENGTH, approximate=True
            )
        except RedisError as exc:
            return Delivery(False, True, f"redis: {exc!r}")
        return Delivery(ok=True)

    async def close(self) -> None:
        return None
