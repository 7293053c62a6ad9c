"""Idempotent ingest: an ``event_id`` is published once.

Claims are taken before publishing (SET NX with a short TTL) and confirmed with the long TTL only
after the broker acknowledged, so a failed publish releases its claim and the client can retry.
"""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis

from shared.redis import Keys

CLAIM_TTL_S = 120
_DONE = b"1"


class EventIds:
    def __init__(self, client: Redis, keys: Keys, ttl_s: int) -> None:
        self.client = client
        self.keys = keys
        self.ttl_s = ttl_s

    def _key(self, platform: str, event_id: str) -> str:
        return self.keys("ingest", "seen", platform, event_id)

    async def claim(self, ids: Sequence[tuple[str, str]]) -> list[bool]:
        """Try to claim each (platform, event_id); True where this caller now owns it."""
        if not ids:
            return []
        pipe = self.client.pipeline(transaction=False)
        for platform, event_id in ids:
            pipe.set(self._key(platform, event_id), b"0", nx=True, ex=CLAIM_TTL_S)
        return [bool(ok) for ok in await pipe.execute()]

    async def confirm(self, ids: Sequence[tuple[str, str]]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for platform, event_id in ids:
            pipe.set(self._key(platform, event_id), _DONE, ex=self.ttl_s)
        await pipe.execute()

    async def release(self, ids: Sequence[tuple[str, str]]) -> None:
        if ids:
            await self.client.delete(*(self._key(p, e) for p, e in ids))
