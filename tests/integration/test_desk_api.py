"""The case desk API on a real Redis and the real broker: every endpoint, every role trying what it
may not do, no session, bad input; responses checked against the OpenAPI document's schemas.

The desk runs in-process on the alert service's code (``Alerting`` with a real producer), so
actions land on the test's case-log topic exactly as ``netral case`` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import jsonschema
import orjson
import pytest
from aiohttp import web
from prometheus_client import CollectorRegistry
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from services import runtime
from services.alert.desk import openapi
from services.alert.desk.api import Desk
from services.alert.desk.server import build_desk, desk_routes, desk_watchers
from services.alert.desk.users import Users, hash_password, load_users
from services.alert.metrics import AlertMetrics
from services.alert.outbox import Outbox
from services.alert.route import load_routing
from services.alert.service import Alerting
from services.alert.store import CaseStore
from shared import codec
from shared.health import serve
from shared.kafka import ensure_topics, make_producer
from shared.redis import Keys, make_redis
from shared.registry import load_registry
from shared.schema import AsnRef, CaseChange, Event, Evidence, Verdict
from shared.settings import (
    AlertSettings,
    KafkaSettings,
    RedisSettings,
    ReferenceSettings,
)
from tests.conftest import REPO, routing_file, service_env
from tests.harness import TopicReader, running

pytestmark = pytest.mark.integration
DEMO_USERS = REPO / "deploy" / "demo" / "desk-users.yaml"

PASSWORD = {name: f"demo-{name}" for name in ("sekda-sleman", "kadisdik-sleman", "ops", "admin")}
DISDIK = AsnRef("ASN-0008", "pemkab-sleman", "pemkab-sleman/dinas-pendidikan", "34.04")
DINKES = AsnRef("ASN-0012", "pemkab-sleman", "pemkab-sleman/dinas-kesehatan", "34.04")
JATIM = AsnRef("ASN-0041", "kanwil-kemenag-jatim", "kanwil-kemenag-jatim/kankemenag-kab-malang")
HEAD_OF_DISDIK = AsnRef("ASN-0006", "pemkab-sleman", "pemkab-sleman/dinas-pendidikan", "34.04")
TEXT = "Bismillah, sudah mantap dukung Prabowo-Gibran sampai menang!!"

_SCHEMAS = Registry().with_resource("urn:desk", DRAFT202012.create_resource(openapi.DOCUMENT))


def conforms(body: Any, schema: str) -> None:
    """Validate a response body against a component schema of the served OpenAPI document."""
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"urn:desk#/components/schemas/{schema}"}, registry=_SCHEMAS
    )
    validator.validate(body)


def verdict(event_id: str, asn: AsnRef, account: str, severity: str = "medium") -> Verdict:
    now = datetime.now(UTC)
    event = Event(event_id, "x", "post", account, now, text=TEXT, asn=asn, received_at=now)
    evidence = (
        Evidence("partisan_support", "PS-ENDORSE", "text", 24, 30, "dukung", TEXT, "SKB 2", 0.8),
        Evidence("partisan_support", "PS-PRAISE", "text", 31, 38, "Prabowo", TEXT, "SKB 2", 0.6),
    )
    return Verdict(
        event_id=event_id,
        account_id=account,
        scores={"partisan_support": 0.9},
        labels=("partisan_support",),
        severity=severity,  # type: ignore[arg-type]
        evidence=evidence,
        policy_version="p1",
        classified_at=now,
        event=event,
        label_severity={"partisan_support": severity},  # type: ignore[dict-item]
        election_id="pemilu-2024",
        phase="campaign",
        contestants=("paslon-02",),
    )


@dataclasses.dataclass
class DeskUnderTest:
    url: str
    http: aiohttp.ClientSession
    alerting: Alerting
    settings: AlertSettings
    api: Desk
    users: dict[str, Users]
    tokens: dict[str, str] = dataclasses.field(default_factory=dict)

    async def call(
        self,
        method: str,
        path: str,
        as_: str | None = None,
        body: Any = None,
        **options: Any,
    ) -> tuple[int, Any]:
        headers = dict(options.pop("headers", {}))
        if as_ is not None:
            headers["Authorization"] = f"Bearer {await self.token(as_)}"
        data = orjson.dumps(body) if body is not None else None
        if data is not None:
            headers.setdefault("Content-Type", "application/json")
        async with self.http.request(
            method, self.url + path, data=data, headers=headers, **options
        ) as response:
            raw = await response.read()
            return response.status, orjson.loads(raw) if raw else None

    async def token(self, username: str) -> str:
        if username not in self.tokens:
            status, body = await self.call(
                "POST",
                "/api/v1/session",
                body={"username": username, "password": PASSWORD[username]},
            )
            assert status == 200, body
            self.tokens[username] = body["token"]
        return self.tokens[username]

    async def open_case(self, event_id: str, asn: AsnRef, account: str) -> str:
        value = codec.encode(verdict(event_id, asn, account))
        message = SimpleNamespace(
            value=value, key=account.encode(), topic="verdicts", partition=0, offset=0
        )
        await self.alerting.handle_verdicts([message])
        cases = await self.alerting.store.for_account(account)
        assert len(cases) == 1
        return cases[0].case_id


@contextlib.asynccontextmanager
async def running_desk(
    kafka_settings: KafkaSettings,
    redis_settings: RedisSettings,
    tmp_path: Path,
    idle_s: float = 600.0,
    **overrides: Any,
) -> AsyncIterator[DeskUnderTest]:
    """The desk on the alert service's code, served on a free loopback port."""
    await ensure_topics(kafka_settings)
    options: dict[str, Any] = {
        "desk_heartbeat_s": 0.5,
        "desk_pipeline_sample_s": 0.3,
        "desk_login_max_failures": 3,
        "desk_idle_s": idle_s,
        "desk_users": DEMO_USERS,
        **overrides,
    }
    settings = AlertSettings(
        kafka=kafka_settings,
        redis=redis_settings,
        ref=ReferenceSettings(routing=routing_file(tmp_path)),
        **options,
    )
    redis = make_redis(redis_settings)
    keys = Keys(redis_settings.prefix)
    producer = make_producer(kafka_settings, "desk-test")
    await producer.start()
    routing = load_routing(settings.ref.routing)
    registry = load_registry(settings.ref.registry)
    users = {"current": load_users(DEMO_USERS, registry)}
    metrics_registry = CollectorRegistry()
    alerting = Alerting(
        settings,
        CaseStore(redis, keys, settings.case_ttl_s),
        Outbox(redis, keys, settings.case_ttl_s),
        producer,
        lambda: routing,
        lambda: registry,
        AlertMetrics.create(metrics_registry),
        {},
    )
    desk_api = build_desk(alerting, lambda: registry, lambda: users["current"], metrics_registry)
    app = web.Application()
    app.add_routes(desk_routes(desk_api))
    port = _free_port()
    runner = await serve(app, "127.0.0.1", port)
    tasks = [asyncio.create_task(w()) for w in desk_watchers(desk_api)]
    desk_api.feed.wanted()
    try:
        await asyncio.wait_for(desk_api.feed.ready.wait(), 30)
        # unsafe: accept cookies from an IP address host, as browsers do for 127.0.0.1
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            yield DeskUnderTest(
                f"http://127.0.0.1:{port}", http, alerting, settings, desk_api, users
            )
    finally:
        await desk_api.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await runner.cleanup()
        await producer.stop()
        await redis.aclose()


@pytest.fixture
async def desk(
    request: pytest.FixtureRequest,
    kafka_settings: KafkaSettings,
    redis_settings: RedisSettings,
    tmp_path: Path,
) -> AsyncIterator[DeskUnderTest]:
    idle_s = float(getattr(request, "param", 600.0))
    async with running_desk(kafka_settings, redis_settings, tmp_path, idle_s) as under_test:
        yield under_test


def _free_port() -> int:
    from shared.embedded import free_port

    return free_port()


# -- session ---------------------------------------------------------------------------------


async def test_login_sets_an_http_only_cookie_and_me_answers(desk: DeskUnderTest) -> None:
    async with desk.http.post(
        desk.url + "/api/v1/session",
        json={"username": "kadisdik-sleman", "password": PASSWORD["kadisdik-sleman"]},
    ) as response:
        body = await response.json()
        cookie = response.headers["Set-Cookie"]
    assert response.status == 200
    conforms(body, "Session")
    assert body["user"] == {
        "username": "kadisdik-sleman",
        "role": "supervisor",
        "employee_id": "ASN-0006",
        "unit": "pemkab-sleman/dinas-pendidikan",
        "display_name": "Kepala Dinas Pendidikan Sleman (demo)",
    }
    assert "netral_session=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    # the cookie alone authenticates (the session now holds it)
    async with desk.http.get(desk.url + "/api/v1/me") as response:
        me = await response.json()
    assert response.status == 200
    conforms(me, "Me")
    assert me["units"] == ["pemkab-sleman/dinas-pendidikan"]
    assert me["permissions"] == {
        "act_on_cases": True,
        "manage_silences": False,
        "read_access_log": False,
        "read_pipeline": False,
    }
    status, ops = await desk.call("GET", "/api/v1/me", "ops")
    assert status == 200 and ops["units"] is None and ops["user"]["unit"] is None


async def test_logout_ends_the_session(desk: DeskUnderTest) -> None:
    token = await desk.token("ops")
    assert (await desk.call("DELETE", "/api/v1/session", "ops"))[0] == 200
    status, body = await desk.call(
        "GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert status == 401 and "session" in body["error"]


async def test_a_changed_password_or_removed_user_ends_their_sessions(
    desk: DeskUnderTest,
) -> None:
    assert (await desk.call("GET", "/api/v1/me", "kadisdik-sleman"))[0] == 200
    assert (await desk.call("GET", "/api/v1/me", "ops"))[0] == 200
    users = desk.users["current"]
    changed = dataclasses.replace(users.by_name["kadisdik-sleman"], password=hash_password("new"))
    remaining = {n: u for n, u in users.by_name.items() if n != "ops"}
    desk.users["current"] = Users("changed", remaining | {"kadisdik-sleman": changed})
    for user in ("kadisdik-sleman", "ops"):
        status, body = await desk.call("GET", "/api/v1/me", user)
        assert status == 401 and "sign in again" in body["error"]


async def test_wrong_password_is_401_then_rate_limited(desk: DeskUnderTest) -> None:
    wrong = {"username": "ops", "password": "not-it"}
    for _ in range(3):
        status, body = await desk.call("POST", "/api/v1/session", body=wrong)
        assert status == 401 and body["error"] == "wrong username or password"
    status, body = await desk.call("POST", "/api/v1/session", body=wrong)
    assert status == 429 and "too many" in body["error"]
    # an unknown user gets the same answer as a wrong password
    status, body = await desk.call(
        "POST", "/api/v1/session", body={"username": "nobody", "password": "x"}
    )
    assert status == 401 and body["error"] == "wrong username or password"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"password": "x"}, 422, "username"),
        ({"username": "ops"}, 422, "password"),
        ({"username": "ops", "password": 5}, 422, "password"),
    ],
)
async def test_login_bad_input(
    desk: DeskUnderTest, body: dict[str, Any], status: int, field: str
) -> None:
    got, answer = await desk.call("POST", "/api/v1/session", body=body)
    assert got == status and answer["field"] == field and answer["error"]


async def test_login_body_must_be_a_json_object(desk: DeskUnderTest) -> None:
    async with desk.http.post(
        desk.url + "/api/v1/session", data=b"[1,2]", headers={"Content-Type": "application/json"}
    ) as response:
        assert response.status == 400 and "object" in (await response.json())["error"]
    async with desk.http.post(
        desk.url + "/api/v1/session", data=b"username=ops", headers={"Content-Type": "text/plain"}
    ) as response:
        assert response.status == 415 and (await response.json())["error"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/me"),
        ("DELETE", "/api/v1/session"),
        ("GET", "/api/v1/cases"),
        ("GET", "/api/v1/cases/abc"),
        ("POST", "/api/v1/cases/abc/ack"),
        ("POST", "/api/v1/cases/abc/comment"),
        ("POST", "/api/v1/cases/abc/assign"),
        ("POST", "/api/v1/cases/abc/snooze"),
        ("POST", "/api/v1/cases/abc/resolve"),
        ("POST", "/api/v1/cases/abc/reopen"),
        ("GET", "/api/v1/silences"),
        ("POST", "/api/v1/silences"),
        ("DELETE", "/api/v1/silences/abc"),
        ("GET", "/api/v1/stream"),
        ("GET", "/api/v1/pipeline"),
        ("GET", "/api/v1/access-log"),
    ],
)
async def test_every_api_route_needs_a_session(desk: DeskUnderTest, method: str, path: str) -> None:
    status, body = await desk.call(method, path)
    assert status == 401
    conforms(body, "Error")
    status, body = await desk.call(method, path, headers={"Authorization": "Bearer made-up-token"})
    assert status == 401 and body["error"]


# -- cases -----------------------------------------------------------------------------------


async def test_supervisors_see_their_subtree_only(desk: DeskUnderTest) -> None:
    disdik = await desk.open_case("e-1", DISDIK, "x-100")
    dinkes = await desk.open_case("e-2", DINKES, "x-200")
    jatim = await desk.open_case("e-3", JATIM, "x-300")
    own = await desk.open_case("e-4", HEAD_OF_DISDIK, "x-400")

    async def listed(user: str, query: str = "") -> set[str]:
        status, body = await desk.call("GET", f"/api/v1/cases{query}", user)
        assert status == 200, body
        conforms(body, "CaseList")
        return {item["case_id"] for item in body["items"]}

    assert await listed("kadisdik-sleman") == {disdik}  # not their own case, not other units
    assert await listed("sekda-sleman") == {disdik, dinkes, own}
    assert await listed("ops") == {disdik, dinkes, jatim, own}
    assert await listed("admin", "?unit=pemkab-sleman/dinas-kesehatan") == {dinkes}
    assert await listed("admin", "?unit=pemkab-sleman/setda") == {disdik, dinkes, own}

    status, body = await desk.call("GET", f"/api/v1/cases/{dinkes}", "kadisdik-sleman")
    assert status == 403 and "outside" in body["error"]
    status, body = await desk.call("GET", f"/api/v1/cases/{own}", "kadisdik-sleman")
    assert status == 403
    for verb, payload in [("ack", {}), ("comment", {"comment": "x"})]:
        status, body = await desk.call(
            "POST", f"/api/v1/cases/{jatim}/{verb}", "sekda-sleman", payload
        )
        assert status == 403, (verb, body)


async def test_case_detail_has_evidence_spans_timeline_and_is_logged(
    desk: DeskUnderTest,
) -> None:
    case_id = await desk.open_case("e-1", DISDIK, "x-100")
    status, body = await desk.call("GET", f"/api/v1/cases/{case_id}", "kadisdik-sleman")
    assert status == 200, body
    conforms(body, "Case")
    assert body["excerpt"] == TEXT and body["excerpt_field"] == "text"
    assert [TEXT[s["start"] : s["end"]] for s in body["spans"]] == ["dukung", "Prabowo"]
    assert {e["enforces"] for e in body["evidence"]} == {"SKB 2"}
    assert [t["action"] for t in body["timeline"]] == ["opened"]
    assert body["counts"]["events"] == 1 and body["can_act"] is True
    assert body["employee_id"] == "ASN-0008" and body["unit"] == DISDIK.unit

    status, log = await desk.call("GET", f"/api/v1/access-log?case_id={case_id}", "admin")
    assert status == 200
    conforms(log, "AccessLog")
    assert [(a["username"], a["what"]) for a in log["items"]] == [("kadisdik-sleman", "case")]

    status, body = await desk.call("GET", "/api/v1/cases/000000000000000000000000", "admin")
    assert status == 404 and body["error"]


async def test_actions_follow_the_case_through_its_life(desk: DeskUnderTest) -> None:
    case_id = await desk.open_case("e-1", DISDIK, "x-100")
    path = f"/api/v1/cases/{case_id}"
    steps: list[tuple[str, dict[str, Any], str]] = [
        ("ack", {"comment": "saya tangani"}, "acknowledged"),
        ("comment", {"comment": "sudah dipanggil"}, "acknowledged"),
        ("assign", {"assignee": "ASN-0007", "comment": "kabid"}, "acknowledged"),
        ("snooze", {"minutes": 60}, "snoozed"),
        ("resolve", {"outcome": "dismissed", "comment": "berita, bukan dukungan"}, "resolved"),
        ("reopen", {"comment": "ada bukti baru"}, "open"),
    ]
    for verb, payload, status_after in steps:
        status, body = await desk.call("POST", f"{path}/{verb}", "kadisdik-sleman", payload)
        assert status == 200, (verb, body)
        conforms(body, "Case")
        assert body["status"] == status_after, verb
    assert body["assignee"] == "ASN-0007"
    assert [t["action"] for t in body["timeline"]] == [
        "opened",
        "acknowledged",
        "commented",
        "reassigned",
        "snoozed",
        "resolved",
        "reopened",
    ]
    assert {t["by"] for t in body["timeline"][1:]} == {"kadisdik-sleman"}
    # the same changes are on the case log topic, as with `netral case`
    topic = desk.settings.kafka.cases_topic
    async with TopicReader(desk.settings.kafka, (topic,)) as reader:
        assert await reader.want(lambda r: len(r[topic]) >= 7, within_s=15)
    logged = [codec.decode(r.value, CaseChange) for r in reader.records[topic]]
    assert [c.action for c in logged if c.case_id == case_id][-1] == "reopened"
    assert next(c for c in logged if c.action == "resolved").case.outcome == "dismissed"


async def test_operations_reads_but_may_not_act(desk: DeskUnderTest) -> None:
    case_id = await desk.open_case("e-1", DISDIK, "x-100")
    status, body = await desk.call("GET", f"/api/v1/cases/{case_id}", "ops")
    assert status == 200 and body["can_act"] is False
    bodies = {
        "ack": {},
        "comment": {"comment": "x"},
        "assign": {"assignee": "ASN-0007"},
        "snooze": {"minutes": 5},
        "resolve": {"outcome": "confirmed", "comment": "x"},
        "reopen": {"comment": "x"},
    }
    for verb, payload in bodies.items():
        status, body = await desk.call("POST", f"/api/v1/cases/{case_id}/{verb}", "ops", payload)
        assert status == 403 and "not act" in body["error"], verb
    # the administrator may act
    status, body = await desk.call("POST", f"/api/v1/cases/{case_id}/ack", "admin", {})
    assert status == 200 and body["acknowledged_by"] == "admin"


@pytest.mark.parametrize(
    ("verb", "payload", "field"),
    [
        ("comment", {}, "comment"),
        ("comment", {"comment": "   "}, "comment"),
        ("comment", {"comment": 7}, "comment"),
        ("assign", {}, "assignee"),
        ("assign", {"assignee": "ASN-9999"}, "assignee"),
        ("snooze", {}, "until"),
        ("snooze", {"minutes": 0}, "minutes"),
        ("snooze", {"minutes": "ten"}, "minutes"),
        ("snooze", {"until": "2020-01-01T00:00:00Z"}, "until"),
        ("snooze", {"until": "tomorrow"}, "until"),
        ("snooze", {"until": "2099-01-01T00:00:00"}, "until"),
        ("resolve", {"comment": "why"}, "outcome"),
        ("resolve", {"outcome": "guilty", "comment": "why"}, "outcome"),
        ("resolve", {"outcome": "confirmed"}, "comment"),
        ("resolve", {"outcome": "confirmed", "comment": ""}, "comment"),
        ("reopen", {}, "comment"),
    ],
)
async def test_action_bad_input_is_422_naming_the_field(
    desk: DeskUnderTest, verb: str, payload: dict[str, Any], field: str
) -> None:
    case_id = await desk.open_case("e-1", DISDIK, "x-100")
    status, body = await desk.call(
        "POST", f"/api/v1/cases/{case_id}/{verb}", "kadisdik-sleman", payload
    )
    assert status == 422, body
    conforms(body, "Error")
    assert body["field"] == field and body["error"]


async def test_supervisors_assign_within_their_units_or_to_desk_users_who_act(
    desk: DeskUnderTest,
) -> None:
    case_id = await desk.open_case("e-1", DISDIK, "x-100")
    path = f"/api/v1/cases/{case_id}/assign"
    for assignee in ("ASN-0012", "ops"):  # another unit's employee; a user who cannot act
        status, body = await desk.call("POST", path, "kadisdik-sleman", {"assignee": assignee})
        assert status == 422 and body["field"] == "assignee", assignee
    for assignee in ("ASN-0009", "admin"):
        status, body = await desk.call("POST", path, "kadisdik-sleman", {"assignee": assignee})
        assert status == 200 and body["assignee"] == assignee
    status, body = await desk.call("POST", path, "admin", {"assignee": "ASN-0041"})
    assert status == 200  # an administrator assigns anywhere


async def test_actions_that_do_not_apply_are_409(desk: DeskUnderTest) -> None:
    case_id = await desk.open_case("e-1", DISDIK, "x-100")
    path = f"/api/v1/cases/{case_id}"
    status, body = await desk.call("POST", f"{path}/reopen", "admin", {"comment": "x"})
    assert status == 409 and "not resolved" in body["error"]
    resolved = {"outcome": "false_positive", "comment": "salah baca"}
    assert (await desk.call("POST", f"{path}/resolve", "admin", resolved))[0] == 200
    status, body = await desk.call("POST", f"{path}/ack", "admin", {})
    assert status == 409 and "reopen" in body["error"]
    status, body = await desk.call("POST", "/api/v1/cases/nope/ack", "admin", {})
    assert status == 404


async def test_list_filters_paging_and_counts(desk: DeskUnderTest) -> None:
    ids = [await desk.open_case(f"e-{i}", DISDIK, f"x-10{i}") for i in range(5)]
    await desk.call("POST", f"/api/v1/cases/{ids[0]}/ack", "admin", {})
    seen: list[str] = []
    cursor = ""
    for _ in range(3):
        status, body = await desk.call("GET", f"/api/v1/cases?limit=2{cursor}", "admin")
        assert status == 200
        seen += [i["case_id"] for i in body["items"]]
        if body["next_cursor"] is None:
            break
        cursor = f"&cursor={body['next_cursor']}"
    assert sorted(seen) == sorted(ids) and len(seen) == 5
    assert body["counts"] == {"open": 4, "acknowledged": 1, "snoozed": 0, "resolved": 0}
    status, body = await desk.call("GET", "/api/v1/cases?status=acknowledged", "admin")
    assert [i["case_id"] for i in body["items"]] == [ids[0]] and body["total"] == 5
    status, body = await desk.call("GET", "/api/v1/cases?election=pilkada-2024", "admin")
    assert body["items"] == []
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    status, body = await desk.call("GET", f"/api/v1/cases?since={future}", "admin")
    assert body["items"] == []
    status, body = await desk.call(
        "GET", "/api/v1/cases?severity=medium&category=partisan_support&assignee=none", "admin"
    )
    assert len(body["items"]) == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=closed", "status"),
        ("severity=urgent", "severity"),
        ("category=gossip", "category"),
        ("unit=nowhere", "unit"),
        ("limit=0", "limit"),
        ("limit=many", "limit"),
        ("since=yesterday", "since"),
        ("sort=random", "sort"),
        ("cursor=@@@", "cursor"),
    ],
)
async def test_list_bad_query_is_400(desk: DeskUnderTest, query: str, field: str) -> None:
    status, body = await desk.call("GET", f"/api/v1/cases?{query}", "admin")
    assert status == 400 and body["field"] == field and body["error"]


# -- silences --------------------------------------------------------------------------------


async def test_silences_create_list_expire_by_role(desk: DeskUnderTest) -> None:
    new = {"matchers": {"category": "hoax", "unit": ["a", "b"]}, "minutes": 30, "reason": "uji"}
    status, body = await desk.call("POST", "/api/v1/silences", "kadisdik-sleman", new)
    assert status == 403 and "silences" in body["error"]
    status, made = await desk.call("POST", "/api/v1/silences", "ops", new)
    assert status == 201, made
    conforms(made, "Silence")
    assert made["author"] == "ops" and made["active"] is True
    assert made["matchers"] == {"category": ["hoax"], "unit": ["a", "b"]}
    for user in ("kadisdik-sleman", "ops", "admin"):
        status, listed = await desk.call("GET", "/api/v1/silences", user)
        assert status == 200
        conforms(listed, "SilenceList")
        assert [s["silence_id"] for s in listed["items"]] == [made["silence_id"]]
    path = f"/api/v1/silences/{made['silence_id']}"
    assert (await desk.call("DELETE", path, "kadisdik-sleman"))[0] == 403
    status, ended = await desk.call("DELETE", path, "admin")
    assert status == 200 and ended["active"] is False
    assert (await desk.call("DELETE", "/api/v1/silences/nope", "ops"))[0] == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"minutes": 5, "reason": "r"}, "matchers"),
        ({"matchers": {}, "minutes": 5, "reason": "r"}, "matchers"),
        ({"matchers": {"colour": "red"}, "minutes": 5, "reason": "r"}, "matchers.colour"),
        ({"matchers": {"category": []}, "minutes": 5, "reason": "r"}, "matchers.category"),
        ({"matchers": {"category": "hoax"}, "reason": "r"}, "until"),
        ({"matchers": {"category": "hoax"}, "minutes": 99999, "reason": "r"}, "minutes"),
        ({"matchers": {"category": "hoax"}, "minutes": 5}, "reason"),
        ({"matchers": {"category": "hoax"}, "minutes": 5, "until": "x", "reason": "r"}, "until"),
    ],
)
async def test_silence_bad_input_is_422(
    desk: DeskUnderTest, payload: dict[str, Any], field: str
) -> None:
    status, body = await desk.call("POST", "/api/v1/silences", "ops", payload)
    assert status == 422 and body["field"] == field and body["error"]


# -- stream, pipeline, access log, openapi ---------------------------------------------------


async def _events(response: aiohttp.ClientResponse, count: int, within_s: float) -> list[Any]:
    events: list[Any] = []
    deadline = time.monotonic() + within_s
    name = ""
    while len(events) < count and time.monotonic() < deadline:
        line = await asyncio.wait_for(response.content.readline(), deadline - time.monotonic())
        text = line.decode().rstrip("\n")
        if text.startswith("event: "):
            name = text[7:]
        elif text.startswith("data: ") and name == "case":
            events.append(orjson.loads(text[6:]))
    return events


async def test_stream_delivers_a_new_case_within_two_seconds_filtered_by_role(
    desk: DeskUnderTest,
) -> None:
    headers = {"Authorization": f"Bearer {await desk.token('kadisdik-sleman')}"}
    async with desk.http.get(desk.url + "/api/v1/stream", headers=headers) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        await desk.open_case("e-out", DINKES, "x-200")  # outside this supervisor's units
        started = time.monotonic()
        case_id = await desk.open_case("e-in", DISDIK, "x-100")
        events = await _events(response, 1, within_s=2.0)
        took = time.monotonic() - started
        assert [e["case_id"] for e in events] == [case_id], events
        assert took < 2.0
        conforms(events[0], "StreamEvent")
        assert events[0]["action"] == "opened"
        # heartbeats keep the connection open while nothing happens
        line = b""
        while not line.startswith(b": heartbeat"):
            line = await asyncio.wait_for(response.content.readline(), 2.0)


async def test_stream_ends_when_the_user_is_removed_even_while_busy(desk: DeskUnderTest) -> None:
    headers = {"Authorization": f"Bearer {await desk.token('ops')}"}
    async with desk.http.get(desk.url + "/api/v1/stream", headers=headers) as response:
        assert response.status == 200
        users = desk.users["current"]
        desk.users["current"] = Users("x", {n: u for n, u in users.by_name.items() if n != "ops"})
        for i in range(4):  # changes keep coming; the heartbeat check still runs
            await desk.open_case(f"e-{i}", DISDIK, f"x-10{i}")
            await asyncio.sleep(0.2)
        body = await asyncio.wait_for(response.content.read(), 5.0)
    assert body.startswith(b"retry:")


async def test_stream_ends_when_the_session_ends(desk: DeskUnderTest) -> None:
    token = await desk.token("ops")
    headers = {"Authorization": f"Bearer {token}"}
    async with desk.http.get(desk.url + "/api/v1/stream", headers=headers) as response:
        assert response.status == 200
        await desk.call("DELETE", "/api/v1/session", "ops")
        body = await asyncio.wait_for(response.content.read(), 5.0)
    assert b"retry:" in body


async def test_pipeline_health_for_operations_only(desk: DeskUnderTest) -> None:
    status, body = await desk.call("GET", "/api/v1/pipeline", "kadisdik-sleman")
    assert status == 403 and body["error"]
    status, first = await desk.call("GET", "/api/v1/pipeline", "ops")  # starts sampling
    assert status == 200 and first["events_per_s"] is None  # one sample: no rate yet
    await desk.open_case("e-1", DISDIK, "x-100")
    await asyncio.sleep(1.0)  # more samples of the broker's offsets
    for user in ("ops", "admin"):
        status, body = await desk.call("GET", "/api/v1/pipeline", user)
        assert status == 200
        conforms(body, "Pipeline")
    assert body["events_per_s"] is not None and body["cases_per_s"] is not None
    assert body["dlq"]["total"] == 0
    assert set(body["lag"]["by_group"]) == {"netral-classify", "netral-alert"}
    assert body["notification_failures"]["failed_attempts"] == 0
    assert "end offsets" in body["sources"]["events_per_s"]


async def test_access_log_is_for_administrators(desk: DeskUnderTest) -> None:
    case_id = await desk.open_case("e-1", DINKES, "x-200")
    await desk.call("GET", f"/api/v1/cases/{case_id}", "kadisdik-sleman")  # denied
    await desk.call("GET", "/api/v1/cases", "ops")
    for user in ("kadisdik-sleman", "ops"):
        status, body = await desk.call("GET", "/api/v1/access-log", user)
        assert status == 403 and body["error"]
    status, body = await desk.call("GET", "/api/v1/access-log?limit=1", "admin")
    assert status == 200 and len(body["items"]) == 1 and body["next_cursor"]
    assert body["items"][0]["what"] == "list"
    status, rest = await desk.call(
        "GET", f"/api/v1/access-log?cursor={body['next_cursor']}", "admin"
    )
    assert [(a["username"], a["what"], a["case_id"]) for a in rest["items"]] == [
        ("kadisdik-sleman", "case-denied", case_id)
    ]
    for bad in ("limit=0", "limit=x", "cursor=abc"):
        status, body = await desk.call("GET", f"/api/v1/access-log?{bad}", "admin")
        assert status == 400 and body["field"] in ("limit", "cursor")


async def test_openapi_document_is_served_and_lists_every_api_route(
    desk: DeskUnderTest,
) -> None:
    status, document = await desk.call("GET", "/openapi.json")
    assert status == 200 and document["openapi"].startswith("3.1")
    app_routes = web.Application()
    app_routes.add_routes(desk_routes(desk.api))
    registered = {
        (route.method.lower(), route.resource.canonical)
        for route in app_routes.router.routes()
        if route.resource is not None
        and (
            route.resource.canonical.startswith("/api/")
            or route.resource.canonical == "/openapi.json"
        )
        and route.method not in ("HEAD", "*")  # "*": the JSON 404/405 for unknown /api/ paths
    }
    described = {(m, p) for p, ops in document["paths"].items() for m in ops}
    assert registered == described


@pytest.mark.parametrize("desk", [0.5], indirect=True)
async def test_the_case_log_is_followed_only_while_the_desk_is_used(desk: DeskUnderTest) -> None:
    feed = desk.api.feed
    case_id = await desk.open_case("e-1", DISDIK, "x-100")
    status, body = await desk.call("GET", "/api/v1/cases", "admin")
    assert status == 200 and [i["case_id"] for i in body["items"]] == [case_id]
    for _ in range(50):
        await asyncio.sleep(0.1)
        if not feed.ready.is_set():
            break
    assert not feed.ready.is_set() and feed.index == {}
    # the next request follows the log again, starting from the Redis view
    other = await desk.open_case("e-2", DINKES, "x-200")
    status, body = await desk.call("GET", "/api/v1/cases", "admin")
    assert status == 200 and {i["case_id"] for i in body["items"]} == {case_id, other}


# -- the alert service serves the desk -------------------------------------------------------


async def test_the_alert_service_serves_the_desk_on_its_own_port(
    kafka_settings: KafkaSettings, redis_settings: RedisSettings, tmp_path: Path
) -> None:
    await ensure_topics(kafka_settings)
    users = tmp_path / "users.yaml"
    users.write_text(
        'version: "t"\nusers:\n  - {username: tester, role: operations, password: "'
        + hash_password("pw-for-tests")
        + '"}\n'
    )
    env = service_env(
        kafka_settings,
        redis_settings,
        NETRAL_REF_ROUTING=str(routing_file(tmp_path)),
        NETRAL_ALERT_DESK_USERS=str(users),
    )
    with running("alert", env, tmp_path) as service:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            login = {"username": "tester", "password": "pw-for-tests"}
            async with http.post(service.url + "/api/v1/session", json=login) as response:
                assert response.status == 200
            async with http.get(service.url + "/api/v1/cases") as response:
                assert response.status == 200 and (await response.json())["items"] == []
            async with http.get(service.url + "/healthz") as response:
                assert response.status == 200
            # reading the groups' committed offsets does not join them: no rebalance follows
            before = await _rebalances(http, service.url)
            for _ in range(3):
                async with http.get(service.url + "/api/v1/pipeline") as response:
                    health = await response.json()
                    assert response.status == 200, health
                await asyncio.sleep(0.5)
            assert health["lag"]["by_group"]["netral-alert"] == 0
            await asyncio.sleep(2 * kafka_settings.session_timeout_s)
            assert await _rebalances(http, service.url) == before
            async with http.get(service.url + "/openapi.json") as response:
                assert (await response.json())["info"]["title"] == "Netral case desk API"
            # an open stream does not hold up a graceful stop
            async with http.get(service.url + "/api/v1/stream") as stream:
                assert stream.status == 200
                started = time.monotonic()
                codes = await asyncio.to_thread(runtime.stop_services, [service])
                took = time.monotonic() - started
                rest = await asyncio.wait_for(stream.content.read(), 5.0)
    assert codes == {"alert": 0} and took < 10.0, (codes, took)
    assert rest.startswith(b"retry:")


async def _rebalances(http: aiohttp.ClientSession, url: str) -> float:
    async with http.get(url + "/metrics") as response:
        text = await response.text()
    return sum(
        float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith("netral_alert_rebalances_total")
    )
