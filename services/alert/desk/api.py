"""The case desk's JSON API (see API-CONTRACT.md and ``GET /openapi.json``).

Every ``/api/`` handler is wrapped by :meth:`Desk.guarded`: 1. find the session (cookie or bearer
token) and the user it belongs to, 2. check the role's permission, 3. run the handler, 4. turn
refusals into JSON errors. Decisions about who sees what live in :mod:`visibility`; case actions
run :meth:`Alerting.act`, the code path of ``netral case``.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from aiohttp import web
from aiokafka.errors import KafkaError
from redis.exceptions import RedisError

from services.alert.admin import end_silence, new_silence
from services.alert.cases import ActionRefused
from services.alert.desk import listing, openapi
from services.alert.desk.access_log import AccessLog
from services.alert.desk.auth import COOKIE, LoginGuard, Sessions
from services.alert.desk.inputs import (
    ACTIONS,
    InputError,
    parse_action,
    parse_silence,
    text,
    whole_number,
)
from services.alert.desk.live import CaseFeed, Change
from services.alert.desk.pipeline import PipelineSampler
from services.alert.desk.users import Users, check_login, fingerprint
from services.alert.desk.views import case_detail, case_summary, iso
from services.alert.desk.visibility import (
    Permission,
    Principal,
    can_act,
    can_see,
    home_unit,
    may,
    sees,
    subtree,
    visible_units,
)
from services.alert.service import Alerting
from services.alert.silence import Silence, active
from shared.errors import InvalidMessage
from shared.registry import Registry
from shared.schema import Case

log = logging.getLogger(__name__)
TOKEN = web.RequestKey("netral_token", str)
# Requests that may use Redis at once. redis-py's pool refuses (MaxConnectionsError) rather than
# waits past its 100 connections, and the alert worker shares that pool: a burst of desk requests
# (hundreds of streams reaching their heartbeat together) queues here instead of failing with 503.
REDIS_SLOTS = 32
CASE_ID = re.compile(r"[0-9a-f]{24}")
STREAM_ID = re.compile(r"[0-9]{1,20}-[0-9]{1,20}")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# What an HTML form can send (its enctype), with or without fields.
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
MAX_ID_ECHO = 80
Handler = Callable[[web.Request, Principal], Awaitable[web.StreamResponse]]
PERMISSION_TEXT: dict[Permission, str] = {
    "act_on_cases": "your role may read cases but not act on them",
    "manage_silences": "only operations and administrators manage silences",
    "read_access_log": "only administrators read the access log",
    "read_pipeline": "pipeline health is for operations and administrators",
}


class Refused(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def reply(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=orjson.dumps(data),
        status=status,
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def error(status: int, message: str, field: str | None = None) -> web.Response:
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return reply(body, status)


@dataclass
class Desk:
    alerting: Alerting
    registry: Callable[[], Registry]
    users: Callable[[], Users]
    sessions: Sessions
    guard: LoginGuard
    access: AccessLog
    feed: CaseFeed
    pipeline: PipelineSampler
    cookie_secure: bool = False
    heartbeat_s: float = 15.0
    # open streams per alert process; each holds a socket and a 1,000-change queue
    max_streams: int = 1000
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(REDIS_SLOTS))

    def routes(self) -> list[web.RouteDef]:
        g = self.guarded
        action_routes = [
            web.post(f"/api/v1/cases/{{case_id}}/{verb}", g(self._action(verb))) for verb in ACTIONS
        ]
        return [
            web.get("/openapi.json", self.openapi),
            web.post("/api/v1/session", self.login),
            web.delete("/api/v1/session", g(self.logout)),
            web.get("/api/v1/me", g(self.me)),
            web.get("/api/v1/cases", g(self.list_cases)),
            web.get("/api/v1/cases/{case_id}", g(self.get_case)),
            *action_routes,
            web.get("/api/v1/silences", g(self.list_silences)),
            web.post("/api/v1/silences", g(self.add_silence, "manage_silences")),
            web.delete("/api/v1/silences/{silence_id}", g(self.expire, "manage_silences")),
            web.get("/api/v1/stream", g(self.stream, hold_slot=False)),
            web.get("/api/v1/pipeline", g(self.pipeline_health, "read_pipeline")),
            web.get("/api/v1/access-log", g(self.access_log, "read_access_log")),
            # last: whatever /api/ path nothing above took gets a JSON 404 (or 405), not text
            web.route("*", "/api/{rest:.*}", self.no_such_route),
        ]

    # -- the guard -----------------------------------------------------------------------------

    def guarded(
        self, handler: Handler, permission: Permission | None = None, *, hold_slot: bool = True
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """``hold_slot=False``: the handler takes :attr:`slots` itself (the stream, which lives
        long but touches Redis only now and then)."""

        async def wrapped(request: web.Request) -> web.StreamResponse:
            try:
                async with self.slots:
                    principal = await self.authenticate(request)
                self.feed.wanted()
                if permission is not None and not may(principal, permission):
                    return error(403, PERMISSION_TEXT[permission])
                if not hold_slot:
                    return await handler(request, principal)
                async with self.slots:
                    return await handler(request, principal)
            except Refused as exc:
                return error(exc.status, exc.message, exc.field)
            except InputError as exc:
                return error(exc.status, exc.message, exc.field)
            except (RedisError, KafkaError, OSError) as exc:
                log.warning("desk request failed", extra={"data": {"error": repr(exc)}})
                return error(503, "the case store or the broker is unreachable; try again")
            except web.HTTPException:
                raise
            except Exception:
                log.exception("desk request failed unexpectedly", extra={"data": _where(request)})
                return error(500, "the desk failed on this request; it has been logged")

        return wrapped

    async def authenticate(self, request: web.Request) -> Principal:
        token = _token(request)
        if not token:
            raise Refused(401, "sign in first (POST /api/v1/session)")
        if request.method in UNSAFE and not _bearer(request):
            _same_origin(request)  # the cookie rides along on cross-site requests too
        found = await self.sessions.lookup(token)
        user = self.users().by_name.get(found[0]) if found else None
        if found is None or user is None or fingerprint(user) != found[1]:
            raise Refused(401, "your session has ended; sign in again")
        request[TOKEN] = token
        return Principal.of(user)

    # -- session -------------------------------------------------------------------------------

    async def login(self, request: web.Request) -> web.StreamResponse:
        try:
            async with self.slots:
                _same_origin(request)  # no signing a victim's browser in to another account
                body = await _body(request)
                username = text(body, "username", required=True, limit=64)
                password = body.get("password")
                if not isinstance(password, str) or not password:
                    raise InputError("password is required", "password")
                if len(password) > 1024:
                    raise InputError("password is longer than 1024 characters", "password")
                # Counted before the password is checked, so parallel guesses cannot all slip
                # through before the first failure is written.
                wait_s = await self.guard.attempt(username)
                if wait_s:
                    response = error(429, f"too many failed sign-ins; try again in {wait_s} s")
                    response.headers["Retry-After"] = str(wait_s)
                    return response
                user = await asyncio.to_thread(check_login, self.users(), username, password)
                if user is None:
                    return error(401, "wrong username or password")
                await self.guard.succeeded(username)
                # A fresh random token every time, whatever cookie came in: a value planted
                # before sign-in never becomes the session (no fixation); Set-Cookie replaces it.
                principal = Principal.of(user)
                now = datetime.now(UTC)
                session = await self.sessions.create(principal, fingerprint(user), now)
                self.feed.wanted()
        except Refused as exc:
            return error(exc.status, exc.message, exc.field)
        except InputError as exc:
            return error(exc.status, exc.message, exc.field)
        except (RedisError, OSError):
            return error(503, "the session store is unreachable; try again")
        response = reply(
            {
                "token": session.token,
                "expires_at": iso(session.expires_at),
                "user": self._user_json(principal),
            }
        )
        response.set_cookie(
            COOKIE,
            session.token,
            max_age=self.sessions.ttl_s,
            path="/",
            httponly=True,
            samesite="Strict",
            secure=self.cookie_secure,
        )
        return response

    async def logout(self, request: web.Request, who: Principal) -> web.StreamResponse:
        await self.sessions.end(request[TOKEN])
        response = reply({"ok": True})
        response.del_cookie(COOKIE, path="/")
        return response

    async def me(self, request: web.Request, who: Principal) -> web.StreamResponse:
        units = visible_units(who, self.registry())
        permissions: tuple[Permission, ...] = (
            "act_on_cases",
            "manage_silences",
            "read_access_log",
            "read_pipeline",
        )
        return reply(
            {
                "user": self._user_json(who),
                "units": sorted(units) if units is not None else None,
                "permissions": {p: may(who, p) for p in permissions},
            }
        )

    def _user_json(self, who: Principal) -> dict[str, Any]:
        return {
            "username": who.username,
            "role": who.role,
            "employee_id": who.employee_id,
            "unit": home_unit(who, self.registry()),
            "display_name": who.display_name or who.username,
        }

    # -- cases ---------------------------------------------------------------------------------

    async def _index_ready(self) -> None:
        try:
            await asyncio.wait_for(self.feed.ready.wait(), timeout=10.0)
        except TimeoutError:
            raise Refused(503, "the case index is still loading; try again shortly") from None

    async def list_cases(self, request: web.Request, who: Principal) -> web.StreamResponse:
        registry = self.registry()
        query = listing.parse_query(request.query, registry, lambda u: subtree(u, registry))
        await self._index_ready()
        units = visible_units(who, registry)
        page = listing.select(self.feed.cases(), query, lambda c: sees(who, c, units))
        updated = {i: self.feed.index[i].updated_at for i in (c.case_id for c in page.items)}
        await self.access.record(
            who, "list", case_ids=[c.case_id for c in page.items], query=dict(request.query)
        )
        return reply(
            listing.summaries_json(page, lambda c: case_summary(c, updated.get(c.case_id)))
        )

    async def _visible_case(self, who: Principal, case_id: str, what: str) -> Case:
        if not CASE_ID.fullmatch(case_id):
            raise Refused(404, f"no case {_echo(case_id)}")
        case = await self.alerting.store.get(case_id)
        if case is None:
            raise Refused(404, f"no case {case_id}")
        if not can_see(who, case, self.registry()):
            await self.access.record(who, f"{what}-denied", case_id)
            raise Refused(403, "this case is outside the units you supervise")
        return case

    async def _detail(self, who: Principal, case: Case) -> dict[str, Any]:
        store = self.alerting.store
        timeline = await store.timeline(case.case_id)
        deliveries = await self.alerting.outbox.deliveries(case.case_id)
        return case_detail(case, timeline, deliveries, can_act(who, case, self.registry()))

    async def get_case(self, request: web.Request, who: Principal) -> web.StreamResponse:
        case_id = request.match_info["case_id"]
        case = await self._visible_case(who, case_id, "case")
        detail = await self._detail(who, case)
        await self.access.record(who, "case", case_id)
        return reply(detail)

    def _action(self, verb: str) -> Handler:
        async def handler(request: web.Request, who: Principal) -> web.StreamResponse:
            case_id = request.match_info["case_id"]
            if not may(who, "act_on_cases"):
                return error(403, PERMISSION_TEXT["act_on_cases"])
            await self._visible_case(who, case_id, f"action:{verb}")
            body = await _body(request)
            action = parse_action(
                verb, body, who.username, datetime.now(UTC), lambda a: self._assignable(who, a)
            )
            try:
                entry = await self.alerting.act(case_id, action)
            except ActionRefused as exc:
                return error(409, str(exc))
            except KeyError:
                return error(404, f"no case {case_id}")
            self.feed.apply(entry)
            await self.access.record(who, f"action:{verb}", case_id)
            return reply(await self._detail(who, entry.case))

        return handler

    def _assignable(self, who: Principal, assignee: str) -> bool:
        """An employee of the units the assigner sees, or a desk user who may act on cases."""
        registry = self.registry()
        employee = registry.employees.get(assignee)
        if employee is not None:
            units = visible_units(who, registry)
            return units is None or employee.unit in units
        user = self.users().by_name.get(assignee)
        return user is not None and may(Principal.of(user), "act_on_cases")

    # -- silences ------------------------------------------------------------------------------

    async def list_silences(self, request: web.Request, who: Principal) -> web.StreamResponse:
        now = datetime.now(UTC)
        found = await self.alerting.store.silences()
        found.sort(key=lambda s: (not active(s, now), -s.starts_at.timestamp()))
        return reply({"items": [_silence_json(s, now) for s in found]})

    async def add_silence(self, request: web.Request, who: Principal) -> web.StreamResponse:
        now = datetime.now(UTC)
        matchers, ends_at, reason = parse_silence(await _body(request), now)
        try:
            silence = new_silence(matchers, ends_at, who.username, reason, now)
        except InvalidMessage as exc:
            return error(422, str(exc))
        await self.alerting.store.put_silence(silence)
        return reply(_silence_json(silence, now), 201)

    async def expire(self, request: web.Request, who: Principal) -> web.StreamResponse:
        silence_id = request.match_info["silence_id"]
        now = datetime.now(UTC)
        try:
            ended = await end_silence(self.alerting.store, silence_id, now)
        except KeyError:
            return error(404, f"no silence {_echo(silence_id)}")
        return reply(_silence_json(ended, now))

    # -- live ----------------------------------------------------------------------------------

    async def stream(self, request: web.Request, who: Principal) -> web.StreamResponse:
        await self._index_ready()
        if self.feed.streams >= self.max_streams:
            raise Refused(503, "too many open streams on this server; try again shortly")
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
            }
        )
        queue = self.feed.subscribe()
        loop = asyncio.get_running_loop()
        units = visible_units(who, self.registry())
        next_beat = loop.time() + self.heartbeat_s
        try:
            await response.prepare(request)
            await response.write(b"retry: 2000\n: connected\n\n")
            async with self.slots:
                await self.access.record(who, "stream")
            while not self.stopping.is_set():
                # Every heartbeat, busy or not: the session must still hold, and the user's units
                # follow registry reloads.
                if loop.time() >= next_beat:
                    if not await self._still_signed_in(request):
                        break
                    units = visible_units(who, self.registry())
                    await response.write(b": heartbeat\n\n")
                    next_beat = loop.time() + self.heartbeat_s
                try:
                    change = await asyncio.wait_for(queue.get(), max(0.01, next_beat - loop.time()))
                except TimeoutError:
                    continue
                if change is None:
                    break
                if sees(who, change.entry.case, units):
                    await response.write(sse_event(change))
        except (ConnectionResetError, RedisError, OSError):
            pass  # the reader left, or the service is stopping: the stream just ends
        finally:
            self.feed.unsubscribe(queue)
        return response

    async def _still_signed_in(self, request: web.Request) -> bool:
        try:
            async with self.slots:
                await self.authenticate(request)
        except Refused:
            return False
        return True

    async def close(self) -> None:
        """Ends every open stream (so the HTTP server can stop without waiting for them)."""
        self.stopping.set()
        self.feed.close()

    # -- operations and audit ------------------------------------------------------------------

    async def pipeline_health(self, request: web.Request, who: Principal) -> web.StreamResponse:
        await self.pipeline.first_sample()
        return reply(self.pipeline.report())

    async def access_log(self, request: web.Request, who: Principal) -> web.StreamResponse:
        query = request.query
        limit = whole_number(query.get("limit", "100"), "limit", 1, 500)
        cursor = query.get("cursor") or None
        if cursor is not None and not _stream_id(cursor):
            raise InputError("cursor is not one this API gave out", "cursor", 400)
        items, next_cursor = await self.access.entries(
            case_id=query.get("case_id") or None,
            username=query.get("username") or None,
            limit=limit,
            before=cursor,
        )
        return reply(
            {
                "items": [
                    {
                        "id": a.id,
                        "at": a.at,
                        "username": a.username,
                        "role": a.role,
                        "case_id": a.case_id,
                        "what": a.what,
                        "detail": a.detail,
                    }
                    for a in items
                ],
                "next_cursor": next_cursor,
            }
        )

    async def openapi(self, request: web.Request) -> web.StreamResponse:
        return reply(openapi.DOCUMENT)

    async def no_such_route(self, request: web.Request) -> web.StreamResponse:
        allowed: set[str] = set()
        for resource in request.app.router.resources():
            if resource.canonical == "/api/{rest}":
                continue
            match, methods = await resource.resolve(request)
            if match is None:
                allowed |= methods
        allowed.discard("*")
        if allowed:
            names = ", ".join(sorted(allowed))
            response = error(405, f"{request.method} is not allowed here; use {names}")
            response.headers["Allow"] = ",".join(sorted(allowed))
            return response
        return error(404, f"no API route {_echo(request.path)} (see /openapi.json)")


def sse_event(change: Change) -> bytes:
    entry = change.entry
    data = {**case_summary(entry.case, entry.at), "action": entry.action, "by": entry.actor}
    return (
        b"event: case\nid: " + change.position.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"
    )


def _silence_json(silence: Silence, now: datetime) -> dict[str, Any]:
    return {
        "silence_id": silence.silence_id,
        "matchers": {k: list(v) for k, v in silence.matchers.items()},
        "starts_at": iso(silence.starts_at),
        "ends_at": iso(silence.ends_at),
        "author": silence.author,
        "reason": silence.reason,
        "active": active(silence, now),
    }


def _bearer(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return ""


def _token(request: web.Request) -> str:
    return _bearer(request) or request.cookies.get(COOKIE, "")


def _same_origin(request: web.Request) -> None:
    """Refuse a state-changing request that a browser says came from another site (CSRF). The
    cookie is SameSite=Strict already; this also covers sibling subdomains (same-site) and old
    browsers. Clients that send neither header (curl, the CLI) are not browsers and pass.

    A browser's ``Sec-Fetch-Site`` decides when it is there (it is right behind a proxy that
    rewrites Host, too); otherwise ``Origin`` must name this host (``Host``, or the proxy's
    ``X-Forwarded-Host``)."""
    refused = Refused(403, "cross-site request refused; use the desk pages or a bearer token")
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        if fetch_site not in ("same-origin", "none"):
            raise refused
        return
    origin = request.headers.get("Origin")
    if origin is None:
        return
    hosts = {request.host, *_listed(request.headers.get("X-Forwarded-Host"))}
    schemes = {request.scheme, *_listed(request.headers.get("X-Forwarded-Proto"))}
    if origin not in {f"{scheme}://{host}" for scheme in schemes for host in hosts}:
        raise refused


def _listed(header: str | None) -> list[str]:
    return [part.strip() for part in (header or "").split(",") if part.strip()]


def _stream_id(text: str) -> bool:
    if not STREAM_ID.fullmatch(text):
        return False
    first, _, second = text.partition("-")
    return int(first) < 2**64 and int(second) < 2**64


def _echo(value: str) -> str:
    """An id from the request, shortened for an error message."""
    return value if len(value) <= MAX_ID_ECHO else value[:MAX_ID_ECHO] + "…"


def _where(request: web.Request) -> dict[str, str]:
    return {"method": request.method, "path": _echo(request.path)}


async def _body(request: web.Request) -> dict[str, Any]:
    # A browser form always sends one of the form content types, even with no fields: refused,
    # so a cross-site form cannot trigger an action that takes no body (ack).
    if request.content_type in FORM_TYPES:
        raise InputError("send the body as application/json", None, 415)
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise InputError("the body is too large (at most 1 MiB)", None, 413) from None
    if not raw.strip():
        return {}
    if request.content_type != "application/json":
        raise InputError("send the body as application/json", None, 415)
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"the body is not JSON: {exc}", None, 400) from None
    if not isinstance(body, dict):
        raise InputError("the body must be a JSON object", None, 400)
    return body
