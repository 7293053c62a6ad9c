"""The case desk API under hostile input and fault injection: what a probe of the running service
found, each kept as a regression test (see API-CONTRACT.md, "Hostile input").

Runs the desk as tests/integration/test_desk_api.py does; the Redis outage test gives the desk a
private redis-server of its own on another loopback port, stops it and starts it again.
"""

from __future__ import annotations

import asyncio
import io
import shutil
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest
from yarl import URL

from services.alert.desk.auth import COOKIE
from shared import embedded
from shared.settings import KafkaSettings, RedisSettings
from tests.integration.test_desk_api import (
    DISDIK,
    PASSWORD,
    DeskUnderTest,
    conforms,
    running_desk,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def desk(
    kafka_settings: KafkaSettings, redis_settings: RedisSettings, tmp_path: Path
) -> AsyncIterator[DeskUnderTest]:
    async with running_desk(kafka_settings, redis_settings, tmp_path) as under_test:
        yield under_test


async def raw(
    desk: DeskUnderTest, method: str, path: str, data: Any = None, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    async with desk.http.request(
        method, desk.url + path, data=data, headers=headers, allow_redirects=False
    ) as response:
        return response.status, dict(response.headers), await response.read()


def json_error(status: int, headers: dict[str, str], body: bytes) -> str:
    assert headers["Content-Type"].startswith("application/json"), (status, body[:200])
    document = orjson.loads(body)
    conforms(document, "Error")
    return str(document["error"])


# -- routes and bodies -----------------------------------------------------------------------


async def test_unknown_api_paths_and_methods_answer_json(desk: DeskUnderTest) -> None:
    auth = {"Authorization": f"Bearer {await desk.token('admin')}"}
    for path in ("/api/v1/nope", "/api/v2/cases", "/api/", "/api/v1/cases/x/y/z"):
        status, headers, body = await raw(desk, "GET", path, **auth)
        assert status == 404 and "no API route" in json_error(status, headers, body)
    # no session needed to learn a path does not exist, and the answer is still JSON
    status, headers, body = await raw(desk, "POST", "/api/v1/nope")
    assert status == 404 and json_error(status, headers, body)
    status, headers, body = await raw(desk, "PUT", "/api/v1/cases", **auth)
    assert status == 405 and headers["Allow"] == "GET,HEAD"
    assert "PUT" in json_error(status, headers, body)
    status, headers, body = await raw(desk, "GET", "/api/v1/cases/" + "a" * 24 + "/ack", **auth)
    assert status == 405 and headers["Allow"] == "POST" and json_error(status, headers, body)


async def test_hostile_bodies_get_json_4xx(desk: DeskUnderTest) -> None:
    case_id = await desk.open_case("hb-1", DISDIK, "acct-hb1")
    auth = {"Authorization": f"Bearer {await desk.token('admin')}"}
    json_type = {"Content-Type": "application/json", **auth}
    path = f"/api/v1/cases/{case_id}/comment"
    huge = io.BytesIO(orjson.dumps({"comment": "a" * 2_000_000}))
    cases: list[tuple[Any, dict[str, str], int]] = [
        (huge, json_type, 413),
        (b"[" * 100_000 + b"]" * 100_000, json_type, 400),  # nested past orjson's depth limit
        (b'{"comment":' + b"[" * 500 + b"]" * 500 + b"}", json_type, 422),
        (b'{"comment":"\xff\xfe"}', json_type, 400),  # not UTF-8
        (b'{"comment":"\\ud800"}', json_type, 400),  # a lone surrogate
        (b'{"comment":"x"}', {"Content-Type": "text/plain", **auth}, 415),
        (b"comment=x", {"Content-Type": "application/x-www-form-urlencoded", **auth}, 415),
        (b'"just a string"', json_type, 400),
        (b"\x00\x01", json_type, 400),
    ]
    for data, headers, expected in cases:
        status, got, body = await raw(desk, "POST", path, data, **headers)
        assert status == expected, (data, status, body[:200])
        json_error(status, got, body)
    # the same on the sign-in route, which has no session yet
    huge.seek(0)
    status, got, body = await raw(desk, "POST", "/api/v1/session", huge, **json_type)
    assert status == 413 and json_error(status, got, body)


async def test_hostile_ids_and_query_strings(desk: DeskUnderTest) -> None:
    auth = {"Authorization": f"Bearer {await desk.token('admin')}"}
    long_id = "x" * 5000
    for case_id in ("%C3%84%C3%96", "%E2%80%AE", "..%2F..%2Fetc", "%00", "%F0%9F%98%80", long_id):
        status, headers, body = await raw(desk, "GET", f"/api/v1/cases/{case_id}", **auth)
        message = json_error(status, headers, body)
        assert status == 404 and len(message) < 120  # the id is not echoed back at length
        status, headers, body = await raw(desk, "POST", f"/api/v1/cases/{case_id}/ack", **auth)
        assert status == 404 and json_error(status, headers, body)
    status, headers, body = await raw(desk, "DELETE", f"/api/v1/silences/{long_id}", **auth)
    assert status == 404 and len(json_error(status, headers, body)) < 120
    bad_queries = [
        "/api/v1/cases?limit=-1",
        "/api/v1/cases?limit=1_0",  # int() would take these three
        "/api/v1/cases?limit=%205",
        "/api/v1/cases?limit=%EF%BC%95",  # a full-width digit
        "/api/v1/cases?limit=99999999999999999999999999",
        "/api/v1/cases?cursor=AAAA",
        "/api/v1/cases?cursor=%FF%FE",
        "/api/v1/cases?status=bogus",
        "/api/v1/cases?unit=%00",
        "/api/v1/cases?since=9999-99-99T00:00:00Z",
        "/api/v1/access-log?limit=0",
        "/api/v1/access-log?limit=1_0",
        "/api/v1/access-log?cursor=99999999999999999999999-0",  # past Redis's 64-bit ids
        "/api/v1/access-log?cursor=%C2%B2-1",  # "²".isdigit() is True
        "/api/v1/access-log?cursor=1-",
    ]
    for path in bad_queries:
        status, headers, body = await raw(desk, "GET", path, **auth)
        assert status == 400, (path, status, body[:200])
        json_error(status, headers, body)
    # the oldest possible cursor is an empty page, not a Redis error (it was a 503)
    status, body_json = await desk.call("GET", "/api/v1/access-log?cursor=0-0", "admin")
    assert status == 200 and body_json == {"items": [], "next_cursor": None}
    # a header-injection attempt in a query value is only a value
    status, headers, body = await raw(
        desk, "GET", "/api/v1/cases?q=%0d%0aSet-Cookie:%20x=1", **auth
    )
    assert status == 200 and "x=1" not in headers.get("Set-Cookie", "")
    status, headers, body = await raw(desk, "GET", "/api/v1/cases?q=" + "a" * 7000, **auth)
    assert status == 200


async def test_static_and_page_routes_do_not_traverse(desk: DeskUnderTest) -> None:
    for path in (
        "/static/../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2fapi.py",
        "/static/%2e%2e%2fapi.py",
        "/static/%5c..%5capi.py",
        "/static//etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
    ):
        url = URL(desk.url + path, encoded=True)
        async with desk.http.get(url, allow_redirects=False) as response:
            body = await response.read()
        assert response.status in (403, 404), path
        assert b"root:" not in body and b"import" not in body
    # a page route takes any case id and serves the same shell; the id is only read by the JS
    async with desk.http.get(desk.url + "/cases/..%2f..%2fetc%2fpasswd") as response:
        assert response.status == 200 and b"<html" in (await response.read()).lower()


# -- sessions and CSRF ----------------------------------------------------------------------


async def test_cookie_changes_from_another_site_are_refused(desk: DeskUnderTest) -> None:
    case_id = await desk.open_case("csrf-1", DISDIK, "acct-csrf")
    token = await desk.token("admin")
    cookie = {"Cookie": f"{COOKIE}={token}"}
    ack = f"/api/v1/cases/{case_id}/ack"
    for headers in (
        {"Origin": "http://evil.example", **cookie},
        {"Origin": "null", **cookie},
        {"Sec-Fetch-Site": "cross-site", **cookie},
        {"Sec-Fetch-Site": "same-site", **cookie},  # a sibling subdomain
    ):
        status, got, body = await raw(desk, "POST", ack, **headers)
        assert status == 403 and "cross-site" in json_error(status, got, body)
        status, got, body = await raw(desk, "DELETE", "/api/v1/session", **headers)
        assert status == 403
    # an empty cross-site form post (no fields) still carries a form content type
    form = {"Content-Type": "application/x-www-form-urlencoded", **cookie}
    status, got, body = await raw(desk, "POST", ack, b"", **form)
    assert status == 415 and json_error(status, got, body)
    # reads are not refused, and a bearer token cannot ride along cross-site, so it passes
    status, got, body = await raw(desk, "GET", "/api/v1/me", Origin="http://evil.example", **cookie)
    assert status == 200
    bearer = {"Authorization": f"Bearer {token}", "Origin": "http://evil.example"}
    status, got, body = await raw(desk, "POST", ack, **bearer)
    assert status == 200
    # behind a proxy that rewrites Host: the browser's Sec-Fetch-Site, or X-Forwarded-Host
    proxied = {"Origin": "https://desk.example", "Sec-Fetch-Site": "same-origin", **cookie}
    status, got, body = await raw(desk, "POST", ack, **proxied)
    assert status in (200, 409)  # acknowledged above already: 409, not 403
    forwarded = {
        "Origin": "https://desk.example",
        "X-Forwarded-Host": "desk.example",
        "X-Forwarded-Proto": "https",
        **cookie,
    }
    status, got, body = await raw(desk, "POST", ack, **forwarded)
    assert status in (200, 409)
    # the desk's own pages: same origin
    own = {"Origin": desk.url, "Sec-Fetch-Site": "same-origin", **cookie}
    status, got, body = await raw(
        desk,
        "POST",
        f"/api/v1/cases/{case_id}/comment",
        b'{"comment": "ok"}',
        **{"Content-Type": "application/json", **own},
    )
    assert status == 200
    # and no signing a victim in to another account from a foreign page
    login = orjson.dumps({"username": "ops", "password": PASSWORD["ops"]})
    status, got, body = await raw(
        desk,
        "POST",
        "/api/v1/session",
        login,
        **{"Content-Type": "application/json", "Origin": "http://evil.example"},
    )
    assert status == 403 and "Set-Cookie" not in got


async def test_a_cookie_planted_before_sign_in_never_becomes_the_session(
    desk: DeskUnderTest,
) -> None:
    planted = "attacker-chosen-value"
    desk.http.cookie_jar.update_cookies({COOKIE: planted}, URL(desk.url))
    async with desk.http.post(
        desk.url + "/api/v1/session", json={"username": "ops", "password": PASSWORD["ops"]}
    ) as response:
        body = await response.json()
        assert response.status == 200
    assert body["token"] != planted
    assert desk.http.cookie_jar.filter_cookies(URL(desk.url))[COOKIE].value == body["token"]
    async with (
        aiohttp.ClientSession() as stranger,
        stranger.get(
            desk.url + "/api/v1/me", headers={"Cookie": f"{COOKIE}={planted}"}
        ) as response,
    ):
        assert response.status == 401


async def test_parallel_guesses_cannot_outrun_the_login_limit(desk: DeskUnderTest) -> None:
    """The guard checked the count, then the (slow) password, then wrote the failure: 30
    guesses in parallel all passed the check (max 3) and all got a password verdict."""

    async def guess(i: int) -> int:
        status, _ = await desk.call(
            "POST", "/api/v1/session", body={"username": "admin", "password": f"guess-{i}"}
        )
        return status

    statuses = Counter(await asyncio.gather(*(guess(i) for i in range(30))))
    assert statuses[401] <= desk.settings.desk_login_max_failures
    assert statuses[429] == 30 - statuses[401]
    # blocked now, even with the right password, until the window passes
    status, body = await desk.call(
        "POST", "/api/v1/session", body={"username": "admin", "password": PASSWORD["admin"]}
    )
    assert status == 429


async def test_credentials_that_are_not_utf8_are_no_session(desk: DeskUnderTest) -> None:
    """Bytes that are not UTF-8 in the bearer token or the cookie were a 500 (the token is
    hashed after encoding it)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", int(desk.url.rsplit(":", 1)[1]))
    answers = []
    for header in (b"Authorization: Bearer \xff\xfe\x80", b"Cookie: netral_session=\xff\xfe"):
        writer.write(b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n\r\n")
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        answers.append((head.split(b" ")[1], orjson.loads(await reader.readexactly(length))))
    writer.close()
    await writer.wait_closed()
    for status, body in answers:
        assert status == b"401" and "session" in body["error"]


async def test_a_corrupt_session_record_is_no_session(desk: DeskUnderTest) -> None:
    token = await desk.token("ops")
    key = desk.api.sessions._key(token)
    await desk.alerting.store.client.set(key, b"not json")
    status, body = await desk.call(
        "GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert status == 401 and body["error"]


# -- streams -------------------------------------------------------------------------------


async def test_many_streams_and_abrupt_disconnects_leak_nothing(desk: DeskUnderTest) -> None:
    """150 streams at once: past redis-py's 100-connection pool, which refused rather than
    waited (the streams beyond it got a 503, and at every heartbeat streams were ended)."""
    token = await desk.token("admin")
    headers = {"Authorization": f"Bearer {token}"}
    sessions = [aiohttp.ClientSession() for _ in range(150)]
    try:

        async def open_stream(session: aiohttp.ClientSession) -> aiohttp.ClientResponse:
            response = await session.get(desk.url + "/api/v1/stream", headers=headers)
            await asyncio.wait_for(response.content.readuntil(b"\n\n"), 10)
            return response

        responses = await asyncio.gather(*(open_stream(s) for s in sessions))
        assert Counter(r.status for r in responses) == {200: 150}
        assert len(desk.api.feed._subscribers) == 150
        # two heartbeats later (0.5 s each) every stream is still there and beating
        await asyncio.sleep(1.2)
        assert len(desk.api.feed._subscribers) == 150
        # 140 readers vanish without a goodbye
        for response in responses[10:]:
            assert response.connection is not None
            response.connection.transport.abort()  # type: ignore[union-attr]
        for _ in range(50):  # each handler notices at its next heartbeat write
            if len(desk.api.feed._subscribers) <= 10:
                break
            await asyncio.sleep(0.1)
        assert len(desk.api.feed._subscribers) == 10
        # stopping the service ends the 10 still open at once
        started = time.monotonic()
        await desk.api.close()
        for response in responses[:10]:
            tail = await asyncio.wait_for(response.content.read(), 5)
            assert tail.endswith(b"\n\n") or tail == b""
        assert time.monotonic() - started < 5
        assert not desk.api.feed._subscribers
    finally:
        for session in sessions:
            await session.close()


# -- Redis going away ----------------------------------------------------------------------


@pytest.fixture
async def private_redis() -> AsyncIterator[tuple[int, list[embedded.Managed]]]:
    if shutil.which(embedded.redis_server_binary()) is None:
        pytest.skip("no redis-server binary")
    port = embedded.free_port()
    _, managed = embedded.start_redis(port)
    servers = [managed]
    yield port, servers
    for server in servers:
        server.stop()


async def test_redis_going_away_is_503_and_the_desk_recovers(
    kafka_settings: KafkaSettings,
    tmp_path: Path,
    private_redis: tuple[int, list[embedded.Managed]],
) -> None:
    port, servers = private_redis
    settings = RedisSettings(
        url=f"redis://127.0.0.1:{port}/0", prefix="hostile:", socket_timeout_s=1.0
    )
    async with running_desk(kafka_settings, settings, tmp_path) as desk:
        case_id = await desk.open_case("outage-1", DISDIK, "acct-outage")
        token = await desk.token("admin")
        calls = [
            ("GET", "/api/v1/me", None),
            ("GET", "/api/v1/cases", None),
            ("GET", f"/api/v1/cases/{case_id}", None),
            ("POST", f"/api/v1/cases/{case_id}/comment", {"comment": "during the outage"}),
            ("GET", "/api/v1/silences", None),
            ("GET", "/api/v1/access-log", None),
        ]
        servers[0].stop()
        auth = {"Authorization": f"Bearer {token}"}
        for method, path, body in calls:
            started = time.monotonic()
            status, answer = await desk.call(method, path, body=body, headers=auth)
            assert status == 503 and "unreachable" in answer["error"], (path, status, answer)
            assert time.monotonic() - started < 5
        status, answer = await desk.call(
            "POST", "/api/v1/session", body={"username": "ops", "password": PASSWORD["ops"]}
        )
        assert status == 503 and "unreachable" in answer["error"]
        # back (empty: no persistence, so the old sessions are gone): sign in again and go on
        _, restarted = embedded.start_redis(port)
        servers.append(restarted)
        deadline = time.monotonic() + 10
        while True:
            desk.tokens.clear()
            status, answer = await desk.call(
                "POST", "/api/v1/session", body={"username": "admin", "password": PASSWORD["admin"]}
            )
            if status == 200 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
        assert status == 200, answer
        desk.tokens["admin"] = answer["token"]
        status, answer = await desk.call("GET", "/api/v1/silences", "admin")
        assert status == 200


async def test_open_streams_are_capped(desk: DeskUnderTest) -> None:
    desk.api.max_streams = 3
    headers = {"Authorization": f"Bearer {await desk.token('ops')}"}
    sessions = [aiohttp.ClientSession() for _ in range(4)]
    try:
        opened = []
        for session in sessions[:3]:
            response = await session.get(desk.url + "/api/v1/stream", headers=headers)
            await asyncio.wait_for(response.content.readuntil(b"\n\n"), 10)
            opened.append(response)
        async with sessions[3].get(desk.url + "/api/v1/stream", headers=headers) as refused:
            assert (
                refused.status == 503 and "too many open streams" in (await refused.json())["error"]
            )
        for response in opened:
            response.close()
    finally:
        for session in sessions:
            await session.close()
