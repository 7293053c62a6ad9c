"""Redis helpers: one client factory and a key builder that applies the deployment's prefix."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from redis.asyncio import Redis
from redis.asyncio.sentinel import Sentinel

from shared.settings import RedisSettings

SENTINEL_SCHEME = "redis+sentinel://"


def make_redis(settings: RedisSettings) -> Redis:
    """A client for ``redis://``/``rediss://``/``unix://`` URLs, or for the master of a Sentinel
    set: ``redis+sentinel://[:password@]host:port[,host:port...]/service[/db]``."""
    options: dict[str, Any] = {
        "socket_timeout": settings.socket_timeout_s,
        "socket_connect_timeout": settings.socket_timeout_s,
        "decode_responses": False,
        "health_check_interval": 30,
    }
    if settings.url.startswith(SENTINEL_SCHEME):
        return _sentinel_master(settings.url, options)
    return Redis.from_url(settings.url, **options)


def _sentinel_master(url: str, options: dict[str, Any]) -> Redis:
    rest = url[len(SENTINEL_SCHEME) :]
    credentials, _, rest = rest.rpartition("@")
    password = unquote(credentials.partition(":")[2]) or None if credentials else None
    hosts, _, path = rest.partition("/")
    service, _, db = path.partition("/")
    if not hosts or not service:
        raise ValueError(f"Sentinel URL needs hosts and a service name: {SENTINEL_SCHEME}h:p/name")
    sentinels = []
    for host in hosts.split(","):
        name, _, port = host.rpartition(":")
        sentinels.append((name, int(port or 26379)))
    timeout = options["socket_timeout"]
    sentinel = Sentinel(sentinels, socket_timeout=timeout)  # type: ignore[no-untyped-call]
    master: Redis = sentinel.master_for(
        service, redis_class=Redis, db=int(db or 0), password=password, **options
    )
    return master


class Keys:
    """Builds every Redis key from one prefix so a deployment (or a test) owns its namespace."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)
