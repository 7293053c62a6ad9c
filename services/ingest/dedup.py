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
        # one script call per batch: one reply, where a pipeline had one per event id
        self._claim = client.register_script(_CLAIM)
        self._confirm = client.register_script(_CONFIRM)

    def _key(self, platform: str, event_id: str) -> str:
        return self.keys("ingest", "seen", platform, event_id)

    async def claim(self, ids: Sequence[tuple[str, str]]) -> list[bool]:
        """Try to claim each (platform, event_id); True where this caller now owns it."""
        if not ids:
            return []
        keys = [self._key(platform, event_id) for platform, event_id in ids]
        return [bool(ok) for ok in await self._claim(keys, [b"0", CLAIM_TTL_S])]

    async def confirm(self, ids: Sequence[tuple[str, str]]) -> None:
        if ids:
            keys = [self._key(platform, event_id) for platform, event_id in ids]
            await self._confirm(keys, [_DONE, self.ttl_s])

    async def release(self, ids: Sequence[tuple[str, str]]) -> None:
        if ids:
            await self.client.delete(*(self._key(p, e) for p, e in ids))


# SET key value NX EX ttl for each key: 1 where it was set (claimed), 0 where it existed.
_CLAIM = """
local got = {}
for i, key in ipairs(KEYS) do
  got[i] = redis.call('SET', key, ARGV[1], 'NX', 'EX', ARGV[2]) and 1 or 0
end
return got
"""

_CONFIRM = """
for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'EX', ARGV[2]) end
return #KEYS
"""
