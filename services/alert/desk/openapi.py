"""The OpenAPI 3.1 document of the case desk API, as data (served at ``/openapi.json``).

The tests check that every ``/api/`` route the desk registers is described here and validate real
responses against these schemas, so the document cannot drift from the code unnoticed.
"""

from __future__ import annotations

from typing import Any

from services.alert.desk.inputs import ACTIONS, OUTCOMES
from services.alert.desk.listing import SEVERITIES, STATUSES
from services.alert.silence import MATCH_KEYS
from shared.schema.verdict import CATEGORIES

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: list[str], properties: dict[str, Schema], **extra: Any) -> Schema:
    return {"type": "object", "required": required, "properties": properties, **extra}


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
TIME: Schema = {"type": "string", "format": "date-time"}
NTIME = _nullable(TIME)
NSTR = _nullable(STR)

SPAN = _object(
    ["start", "end", "rule_id", "category", "match"],
    {"start": INT, "end": INT, "rule_id": STR, "category": STR, "match": STR},
)
SUMMARY_PROPERTIES: dict[str, Schema] = {
    "case_id": STR,
    "account_id": STR,
    "employee_id": NSTR,
    "agency": NSTR,
    "unit": NSTR,
    "region": NSTR,
    "category": {"enum": list(CATEGORIES)},
    "severity": {"enum": ["none", *SEVERITIES]},
    "status": {"enum": list(STATUSES)},
    "count": INT,
    "first_seen": TIME,
    "last_seen": TIME,
    "opened_at": TIME,
    "assignee": NSTR,
    "acknowledged_by": NSTR,
    "level": INT,
    "election_id": STR,
    "phase": STR,
    "contestant": STR,
    "snoozed_until": NTIME,
    "outcome": _nullable({"enum": list(OUTCOMES)}),
    "ack_deadline": NTIME,
    "updated_at": NTIME,
}
DETAIL_PROPERTIES: dict[str, Schema] = {
    **SUMMARY_PROPERTIES,
    "key": STR,
    "first_event_id": STR,
    "last_event_id": STR,
    "level_since": NTIME,
    "last_notified_at": NTIME,
    "policy_version": STR,
    "raised_by": {"type": "array", "items": STR},
    "evidence": {
        "type": "array",
        "items": _object(
            ["rule_id", "category", "enforces", "field", "start", "end", "match", "excerpt"],
            {
                "rule_id": STR,
                "category": STR,
                "enforces": {"type": "string", "description": "the SKB or pledge point"},
                "field": STR,
                "start": INT,
                "end": INT,
                "match": STR,
                "excerpt": STR,
                "weight": {"type": "number"},
            },
        ),
    },
    "excerpt": {"type": "string", "description": "the kept windows of the event text"},
    "excerpt_field": NSTR,
    "spans": {"type": "array", "items": SPAN, "description": "code-point offsets into excerpt"},
    "spans_utf16": {"type": "array", "items": SPAN},
    "excerpts": {
        "type": "array",
        "items": _object(
            ["field", "text", "spans", "spans_utf16"],
            {
                "field": STR,
                "text": STR,
                "spans": {"type": "array", "items": SPAN},
                "spans_utf16": {"type": "array", "items": SPAN},
            },
        ),
    },
    "counts": _object(
        ["events", "notifications", "deliveries_failed", "comments", "escalations"],
        {
            k: INT
            for k in ("events", "notifications", "deliveries_failed", "comments", "escalations")
        },
    ),
    "notified": {
        "type": "array",
        "items": _object(
            ["at", "level", "recipients", "channels", "note"],
            {
                "at": TIME,
                "level": INT,
                "recipients": {"type": "array", "items": STR},
                "channels": {"type": "array", "items": STR},
                "note": STR,
            },
        ),
    },
    "deliveries": {
        "type": "array",
        "items": _object(
            ["delivery_id", "channel", "attempt", "ok", "reason", "at"],
            {
                "delivery_id": STR,
                "channel": STR,
                "attempt": INT,
                "ok": BOOL,
                "reason": STR,
                "at": TIME,
            },
        ),
    },
    "timeline": {
        "type": "array",
        "items": _object(
            ["at", "action", "by", "note"],
            {
                "at": TIME,
                "action": STR,
                "by": STR,
                "note": STR,
                "event_id": STR,
                "severity": STR,
                "status": STR,
                "level": INT,
            },
        ),
    },
    "can_act": BOOL,
}
USER = _object(
    ["username", "role", "employee_id", "unit", "display_name"],
    {
        "username": STR,
        "role": {"enum": ["supervisor", "operations", "administrator"]},
        "employee_id": NSTR,
        "unit": NSTR,
        "display_name": STR,
    },
)
SILENCE = _object(
    ["silence_id", "matchers", "starts_at", "ends_at", "author", "reason", "active"],
    {
        "silence_id": STR,
        "matchers": {
            "type": "object",
            "propertyNames": {"enum": list(MATCH_KEYS)},
            "additionalProperties": {"type": "array", "items": STR, "minItems": 1},
        },
        "starts_at": TIME,
        "ends_at": TIME,
        "author": STR,
        "reason": STR,
        "active": BOOL,
    },
)
NULLABLE_NUMBER = _nullable({"type": "number"})
PIPELINE = _object(
    ["as_of", "events_per_s", "lag", "dlq", "notification_failures", "sources"],
    {
        "as_of": TIME,
        "sampled_every_s": {"type": "number"},
        "events_per_s": NULLABLE_NUMBER,
        "verdicts_per_s": NULLABLE_NUMBER,
        "cases_per_s": NULLABLE_NUMBER,
        "lag": _object(
            ["total", "by_group"],
            {
                "total": _nullable(INT),
                "by_group": {"type": "object", "additionalProperties": _nullable(INT)},
            },
        ),
        "dlq": _object(["total", "per_s"], {"total": _nullable(INT), "per_s": NULLABLE_NUMBER}),
        "notification_failures": _object(
            ["failed_attempts", "gave_up", "by_channel"],
            {
                "failed_attempts": INT,
                "gave_up": INT,
                "by_channel": {"type": "object", "additionalProperties": INT},
            },
        ),
        "sources": {"type": "object", "additionalProperties": STR},
    },
)
SCHEMAS: dict[str, Schema] = {
    "Error": _object(["error"], {"error": STR, "field": NSTR}),
    "User": USER,
    "Session": _object(
        ["token", "expires_at", "user"], {"token": STR, "expires_at": TIME, "user": _ref("User")}
    ),
    "Me": _object(
        ["user", "units", "permissions"],
        {
            "user": _ref("User"),
            "units": _nullable({"type": "array", "items": STR}),
            "permissions": {"type": "object", "additionalProperties": BOOL},
        },
    ),
    "CaseSummary": _object(list(SUMMARY_PROPERTIES), SUMMARY_PROPERTIES),
    "CaseList": _object(
        ["items", "next_cursor", "counts", "total"],
        {
            "items": {"type": "array", "items": _ref("CaseSummary")},
            "next_cursor": NSTR,
            "counts": _object(list(STATUSES), {s: INT for s in STATUSES}),
            "total": INT,
        },
    ),
    "Case": _object(list(DETAIL_PROPERTIES), DETAIL_PROPERTIES),
    "StreamEvent": _object(
        [*SUMMARY_PROPERTIES, "action", "by"],
        {**SUMMARY_PROPERTIES, "action": STR, "by": STR},
    ),
    "Silence": SILENCE,
    "SilenceList": _object(["items"], {"items": {"type": "array", "items": _ref("Silence")}}),
    "Pipeline": PIPELINE,
    "AccessLog": _object(
        ["items", "next_cursor"],
        {
            "items": {
                "type": "array",
                "items": _object(
                    ["id", "at", "username", "role", "case_id", "what", "detail"],
                    {
                        "id": STR,
                        "at": TIME,
                        "username": STR,
                        "role": STR,
                        "case_id": STR,
                        "what": STR,
                        "detail": {"type": "object"},
                    },
                ),
            },
            "next_cursor": NSTR,
        },
    ),
}

ERRORS = {
    "400": "malformed input (not JSON, a bad query parameter)",
    "401": "no session, or it ended",
    "403": "the role may not do this, the case is outside the user's units, or a cookie-"
    "authenticated change came from another site (Origin / Sec-Fetch-Site)",
    "404": "no such case or silence",
    "405": "the path exists but not with this method",
    "409": "the action does not apply to the case as it stands",
    "413": "a body larger than 1 MiB",
    "415": "a body (or a Content-Type) that is not application/json",
    "422": "a field is missing or invalid (field names it)",
    "429": "too many failed sign-ins for this username",
    "503": "the case index is loading, or Redis or the broker is unreachable",
}


def _errors(*codes: str) -> dict[str, Any]:
    return {
        code: {
            "description": ERRORS[code],
            "content": {"application/json": {"schema": _ref("Error")}},
        }
        for code in codes
    }


def _json(schema: Schema, description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: Schema, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def _query(name: str, description: str, schema: Schema | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or STR,
    }


CASE_ID = {"name": "case_id", "in": "path", "required": True, "schema": STR}
# Not only blanks: what the server strips and checks as "empty".
FILLED: Schema = {"type": "string", "minLength": 1, "pattern": "\\S"}
# An optional comment may be null (taken as none); a required one must say something.
COMMENT = {"comment": {"type": ["string", "null"], "maxLength": 4000}}
SAID = {"comment": {**FILLED, "maxLength": 4000}}
UNTIL_OR_MINUTES = {
    "until": TIME,
    "minutes": {"type": "integer", "minimum": 1, "maximum": 43200},
}
TIME_OR_EMPTY: Schema = {"anyOf": [TIME, {"type": "string", "maxLength": 0}]}
NOT_BOTH: Schema = {"not": {"required": ["until", "minutes"]}}
ACTION_BODIES: dict[str, tuple[Schema, str]] = {
    "ack": (_object([], COMMENT), "acknowledge the case"),
    "comment": (_object(["comment"], SAID), "add a comment to the timeline"),
    "assign": (
        _object(["assignee"], {"assignee": {**FILLED, "maxLength": 128}, **COMMENT}),
        "assign to a registry employee id or a desk username",
    ),
    "snooze": (
        _object([], {**UNTIL_OR_MINUTES, **COMMENT}, **NOT_BOTH),
        "snooze until a time (at most 30 days); give until or minutes",
    ),
    "resolve": (
        _object(["outcome", "comment"], {"outcome": {"enum": list(OUTCOMES)}, **SAID}),
        "resolve with an outcome and a comment saying why",
    ),
    "reopen": (_object(["comment"], SAID), "reopen a resolved case"),
}
AUTHED: list[dict[str, list[str]]] = [{"cookie": []}, {"bearer": []}]


def _actions() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for verb in ACTIONS:
        schema, summary = ACTION_BODIES[verb]
        paths[f"/api/v1/cases/{{case_id}}/{verb}"] = {
            "post": {
                "operationId": f"case_{verb}",
                "summary": summary,
                "description": "supervisor (own units) and administrator; operations gets 403. "
                "Lands on netral.cases.v1 and the case timeline like `netral case`.",
                "parameters": [CASE_ID],
                "requestBody": _body(schema, required=verb not in ("ack",)),
                "responses": {
                    "200": _json(_ref("Case"), "the updated case"),
                    **_errors("400", "401", "403", "404", "409", "415", "422"),
                },
            }
        }
    return paths


PATHS: dict[str, Any] = {
    "/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "this document",
            "security": [],
            "responses": {"200": _json({"type": "object"})},
        }
    },
    "/api/v1/session": {
        "post": {
            "operationId": "login",
            "summary": "sign in; sets the HttpOnly SameSite=Strict cookie netral_session",
            "security": [],
            "requestBody": _body(
                _object(
                    ["username", "password"],
                    {
                        "username": {**FILLED, "maxLength": 64},
                        "password": {"type": "string", "minLength": 1, "maxLength": 1024},
                    },
                )
            ),
            "responses": {
                "200": _json(_ref("Session")),
                **_errors("400", "401", "403", "413", "415", "422", "429", "503"),
            },
        },
        "delete": {
            "operationId": "logout",
            "summary": "sign out; the token stops working",
            "responses": {"200": _json(_object(["ok"], {"ok": BOOL})), **_errors("401")},
        },
    },
    "/api/v1/me": {
        "get": {
            "operationId": "me",
            "summary": "who is signed in, the units they see (null: all) and what they may do",
            "responses": {"200": _json(_ref("Me")), **_errors("401")},
        }
    },
    "/api/v1/cases": {
        "get": {
            "operationId": "list_cases",
            "summary": "cases the user may see, filtered, highest severity and newest first",
            "description": "List parameters take comma-separated values. counts and total are "
            "over every filter except status. Recorded in the access log.",
            "parameters": [
                _query("status", f"any of {', '.join(STATUSES)}"),
                _query("severity", f"any of {', '.join(SEVERITIES)}"),
                _query("category", f"any of {', '.join(CATEGORIES)}"),
                _query("unit", "a unit id: that unit and every unit below it"),
                _query("assignee", "exact assignee; none = unassigned"),
                _query("election", "election ids"),
                _query("since", "last_seen at or after (RFC 3339; empty = none)", TIME_OR_EMPTY),
                _query("until", "last_seen before (RFC 3339; empty = none)", TIME_OR_EMPTY),
                _query("q", "substring of case_id, account_id or employee_id"),
                _query("sort", "severity (default) or newest", {"enum": ["severity", "newest"]}),
                _query(
                    "limit", "1..200, default 50", {"type": "integer", "minimum": 1, "maximum": 200}
                ),
                _query("cursor", "next_cursor of the previous page"),
            ],
            "responses": {"200": _json(_ref("CaseList")), **_errors("400", "401", "503")},
        }
    },
    "/api/v1/cases/{case_id}": {
        "get": {
            "operationId": "get_case",
            "summary": "a case with its evidence, excerpt and spans, notifications and timeline",
            "description": "Recorded in the access log (a denied read too). A case outside a "
            "supervisor's units is 403, not 404.",
            "parameters": [CASE_ID],
            "responses": {"200": _json(_ref("Case")), **_errors("401", "403", "404")},
        }
    },
    **_actions(),
    "/api/v1/silences": {
        "get": {
            "operationId": "list_silences",
            "summary": "every silence, active ones first (all roles may read)",
            "responses": {"200": _json(_ref("SilenceList")), **_errors("401")},
        },
        "post": {
            "operationId": "add_silence",
            "summary": "mute matching notifications for a while (operations, administrator)",
            "requestBody": _body(
                _object(
                    ["matchers", "reason"],
                    {
                        "matchers": {
                            "type": "object",
                            "propertyNames": {"enum": list(MATCH_KEYS)},
                            "additionalProperties": {
                                "anyOf": [
                                    FILLED,
                                    {"type": "array", "items": FILLED, "minItems": 1},
                                ]
                            },
                            "minProperties": 1,
                        },
                        **UNTIL_OR_MINUTES,
                        "reason": {**FILLED, "maxLength": 500},
                    },
                    **NOT_BOTH,
                )
            ),
            "responses": {
                "201": _json(_ref("Silence"), "the silence"),
                **_errors("400", "401", "403", "415", "422"),
            },
        },
    },
    "/api/v1/silences/{silence_id}": {
        "delete": {
            "operationId": "expire_silence",
            "summary": "end a silence now (operations, administrator)",
            "parameters": [{"name": "silence_id", "in": "path", "required": True, "schema": STR}],
            "responses": {"200": _json(_ref("Silence")), **_errors("401", "403", "404")},
        }
    },
    "/api/v1/stream": {
        "get": {
            "operationId": "stream",
            "summary": "Server-Sent Events: `event: case`, data = StreamEvent JSON; "
            "`: heartbeat` comments every 15 s; only cases the user may see",
            "responses": {
                "200": {
                    "description": "an event stream (each data line is a StreamEvent)",
                    "content": {"text/event-stream": {"schema": _ref("StreamEvent")}},
                },
                **_errors("401", "503"),
            },
        }
    },
    "/api/v1/pipeline": {
        "get": {
            "operationId": "pipeline",
            "summary": "events/s, lag, DLQ and notification failures, with where each comes from",
            "responses": {"200": _json(_ref("Pipeline")), **_errors("401", "403")},
        }
    },
    "/api/v1/access-log": {
        "get": {
            "operationId": "access_log",
            "summary": "who read which case when, newest first (administrator)",
            "parameters": [
                _query("case_id", "only this case"),
                _query("username", "only this user"),
                _query(
                    "limit",
                    "1..500, default 100",
                    {"type": "integer", "minimum": 1, "maximum": 500},
                ),
                _query(
                    "cursor",
                    "next_cursor of the previous page (empty = from the newest)",
                    {"type": "string", "pattern": "^([0-9]{1,19}-[0-9]{1,19})?$"},
                ),
            ],
            "responses": {"200": _json(_ref("AccessLog")), **_errors("400", "401", "403")},
        }
    },
}


def _every_api_route(paths: dict[str, Any]) -> None:
    """What any /api/ operation may answer besides its own: 503 (Redis or the broker away),
    and for a change 403 (cross-site), 413 and 415 (the body)."""
    for path, operations in paths.items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            codes = ["503"]
            if method in ("post", "delete"):
                codes += ["403", "413", "415"]
            for code, response in _errors(*codes).items():
                operation["responses"].setdefault(code, response)


_every_api_route(PATHS)

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Netral case desk API",
        "version": "1",
        "description": "Cases, actions, silences, the live stream and pipeline health for "
        "supervisors, operations and administrators. Every /api/ request needs a session: the "
        "netral_session cookie or an Authorization: Bearer token from POST /api/v1/session.",
    },
    "servers": [{"url": "/"}],
    "security": AUTHED,
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "cookie": {"type": "apiKey", "in": "cookie", "name": "netral_session"},
            "bearer": {"type": "http", "scheme": "bearer"},
        },
    },
}
