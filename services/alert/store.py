"""The Redis case view: open-case index by dedup key, case records, and the events each case
counted. Reads and writes for a whole batch go in one pipelined round trip each."""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis

from services.alert.cases import CaseState
from shared import codec
from shared.redis import Keys


class CaseStore:
    def __init__(self, client: Redis, keys: Keys, ttl_s: int) -> None:
        self.client = client
        self.keys = keys
        self.ttl_s = ttl_s

    async def load(self, dedup_keys: Sequence[str]) -> dict[str, CaseState]:
        if not dedup_keys:
            return {}
        ids = await self.client.mget([self.keys("case", "open", k) for k in dedup_keys])
        wanted = [(k, _text(i)) for k, i in zip(dedup_keys, ids, strict=True) if i is not None]
        if not wanted:
            return {}
        blobs = await self.client.mget([self.keys("case", case_id) for _, case_id in wanted])
        return {
            key: codec.decode(blob, CaseState)
            for (key, _), blob in zip(wanted, blobs, strict=True)
            if blob is not None
        }

    async def counted(self, pairs: Sequence[tuple[str, str]]) -> list[bool]:
        """For each (case_id, event_id): has that case already counted the event?"""
        if not pairs:
            return []
        pipe = self.client.pipeline(transaction=False)
        for case_id, event_id in pairs:
            pipe.sismember(self.keys("case", case_id, "events"), event_id)
        return [bool(x) for x in await pipe.execute()]

    async def save(self, states: Sequence[CaseState], counted: Sequence[tuple[str, str]]) -> None:
        pipe = self.client.pipeline(transaction=True)
        for state in states:
            pipe.set(self.keys("case", state.case_id), codec.encode(state), ex=self.ttl_s)
            open_key = self.keys("case", "open", state.key)
            if state.status == "resolved":
                pipe.delete(open_key)
            else:
                pipe.set(open_key, state.case_id, ex=self.ttl_s)
        for case_id, event_id in counted:
            events_key = self.keys("case", case_id, "events")
            pipe.sadd(events_key, event_id)
            pipe.expire(events_key, self.ttl_s)
        await pipe.execute()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
