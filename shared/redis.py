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
