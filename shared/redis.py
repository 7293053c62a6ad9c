"""Redis helpers: one client factory and a key builder that applies the deployment's prefix."""

from __future__ import annotations

from redis.asyncio import Redis

from shared.settings import RedisSettings


def make_redis(settings: RedisSettings) -> Redis:
    return Redis.from_url(
        settings.url,
        socket_timeout=settings.socket_timeout_s,
        socket_connect_timeout=settings.socket_timeout_s,
        decode_responses=False,
        health_check_interval=30,
    )


class Keys:
    """Builds every Redis key from one prefix so a deployment (or a test) owns its namespace."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    def pattern(self) -> str:
        return self.prefix + "*"


async def delete_namespace(client: Redis, prefix: str) -> int:
    """Remove every key under ``prefix`` (SCAN, never KEYS); return how many were removed."""
    removed = 0
    async for batch in _scan_batches(client, prefix + "*"):
        removed += await client.unlink(*batch)
    return removed


async def _scan_batches(client: Redis, pattern: str, size: int = 500):  # type: ignore[no-untyped-def]
    batch: list[bytes] = []
    async for key in client.scan_iter(match=pattern, count=size):
        batch.append(key)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
