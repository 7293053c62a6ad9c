"""Sessions and sign-in: random tokens kept in Redis (only their SHA-256) with a TTL, and a cap on
failed logins per username. The request side (cookie or bearer token) is in :mod:`api`."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
from redis.asyncio import Redis

from services.alert.desk.visibility import Principal
from shared.redis import Keys

COOKIE = "netral_session"
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,200}")  # what secrets.token_urlsafe gives


@dataclass(frozen=True, slots=True)
class Session:
    token: str
    principal: Principal
    expires_at: datetime


class Sessions:
    def __init__(self, client: Redis, keys: Keys, ttl_s: int) -> None:
        self.client = client
        self.keys = keys
        self.ttl_s = ttl_s

    def _key(self, token: str) -> str:
        return self.keys("desk", "session", hashlib.sha256(token.encode()).hexdigest())

    async def create(self, principal: Principal, stamp: str, now: datetime) -> Session:
        """A new session for ``principal``; ``stamp`` is the user's fingerprint at sign-in."""
        token = secrets.token_urlsafe(32)
        record = {"username": principal.username, "stamp": stamp}
        await self.client.set(self._key(token), orjson.dumps(record), ex=self.ttl_s)
        return Session(token, principal, now + timedelta(seconds=self.ttl_s))

    async def lookup(self, token: str) -> tuple[str, str] | None:
        """(username, fingerprint) the token was issued with, if it is live."""
        if not TOKEN_SHAPE.fullmatch(token):
            return None  # not one we issued (and bytes that are not UTF-8 would not hash)
        raw = await self.client.get(self._key(token))
        if raw is None:
            return None
        try:
            record = orjson.loads(raw)
            return str(record["username"]), str(record["stamp"])
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return None  # not a record this code wrote: no session

    async def end(self, token: str) -> None:
        await self.client.delete(self._key(token))


class LoginGuard:
    """At most ``max_failures`` failed logins per username within ``window_s``."""

    def __init__(self, client: Redis, keys: Keys, max_failures: int, window_s: int) -> None:
        self.client = client
        self.keys = keys
        self.max_failures = max_failures
        self.window_s = window_s

    def _key(self, username: str) -> str:
        return self.keys("desk", "login-failures", hashlib.sha256(username.encode()).hexdigest())

    async def attempt(self, username: str) -> int:
        """Count a sign-in attempt before its password is checked; seconds to wait (0: go on).

        Counting first (one atomic INCR) means N parallel guesses cannot all pass a check made
        before any of them failed: at most ``max_failures`` attempts per window reach the
        password check, and a success resets the count (:meth:`succeeded`)."""
        key = self._key(username)
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(key)
        pipe.expire(key, self.window_s, nx=True)
        pipe.ttl(key)
        count, _, ttl = await pipe.execute()
        if int(count) <= self.max_failures:
            return 0
        return max(1, int(ttl))

    async def succeeded(self, username: str) -> None:
        await self.client.delete(self._key(username))
