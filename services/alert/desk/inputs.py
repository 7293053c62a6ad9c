"""Checking what a desk request sends: query parameters and JSON bodies become typed values or an
:class:`InputError` naming the field. Pure, ``now`` given."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, cast, get_args

from services.alert.cases import Action, ActionKind
from services.alert.silence import MATCH_KEYS
from shared.schema.case import Outcome

OUTCOMES: tuple[str, ...] = get_args(Outcome)
MAX_COMMENT = 4000
MAX_SNOOZE = timedelta(days=30)
MAX_SILENCE = timedelta(days=30)

ACTIONS: dict[str, ActionKind] = {
    "ack": "acknowledge",
    "comment": "comment",
    "assign": "reassign",
    "snooze": "snooze",
    "resolve": "resolve",
    "reopen": "reopen",
}


class InputError(ValueError):
    """A request the desk refuses; ``status`` is 400 (unreadable) or 422 (a field is wrong)."""

    def __init__(self, message: str, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


def parse_time(value: Any, field: str) -> datetime:
    if not isinstance(value, str):
        raise InputError(f"{field} must be an RFC 3339 time string", field)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{field}: {value!r} is not an RFC 3339 time", field) from None
    if moment.tzinfo is None:
        raise InputError(f"{field} needs a UTC offset (e.g. +07:00 or Z)", field)
    return moment


def text(body: Mapping[str, Any], field: str, *, required: bool, limit: int = MAX_COMMENT) -> str:
    value = body.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InputError(f"{field} must be a string", field)
    if required and not value.strip():
        raise InputError(f"{field} is required and may not be empty", field)
    if len(value) > limit:
        raise InputError(f"{field} is longer than {limit} characters", field)
    return value.strip()


def _ends_at(body: Mapping[str, Any], now: datetime, longest: timedelta, what: str) -> datetime:
    if "until" in body and "minutes" in body:
        raise InputError(f"{what}: give either until or minutes, not both", "until")
    if "minutes" in body:
        minutes = body["minutes"]
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise InputError("minutes must be a whole number", "minutes")
        if not 1 <= minutes <= longest.total_seconds() // 60:
            limit = int(longest.total_seconds() // 60)
            raise InputError(f"minutes must be between 1 and {limit}", "minutes")
        return now + timedelta(minutes=minutes)
    if "until" not in body:
        raise InputError(f"{what} needs until (RFC 3339) or minutes", "until")
    until = parse_time(body["until"], "until")
    if until <= now:
        raise InputError("until must be in the future", "until")
    if until - now > longest:
        raise InputError(f"until may be at most {longest.days} days ahead", "until")
    return until


def parse_action(
    verb: str,
    body: Mapping[str, Any],
    actor: str,
    now: datetime,
    known_assignee: Callable[[str], bool],
) -> Action:
    """The case action a POST body asks for (the same :class:`Action` ``netral case`` builds)."""
    kind = ACTIONS.get(verb)
    if kind is None:
        raise InputError(f"unknown action {verb!r}; use one of {', '.join(ACTIONS)}", "action")
    comment = text(body, "comment", required=kind in ("comment", "resolve", "reopen"))
    if kind == "reassign":
        assignee = text(body, "assignee", required=True, limit=128)
        if not known_assignee(assignee):
            raise InputError(
                f"assignee {assignee!r} is neither a registry employee nor a desk user",
                "assignee",
            )
        return Action(kind, actor, comment, assignee=assignee)
    if kind == "snooze":
        return Action(kind, actor, comment, until=_ends_at(body, now, MAX_SNOOZE, "snooze"))
    if kind == "resolve":
        outcome = body.get("outcome")
        if outcome not in OUTCOMES:
            raise InputError(f"outcome must be one of {', '.join(OUTCOMES)}", "outcome")
        return Action(kind, actor, comment, outcome=cast(Outcome, outcome))
    return Action(kind, actor, comment)


def parse_silence(
    body: Mapping[str, Any], now: datetime
) -> tuple[dict[str, tuple[str, ...]], datetime, str]:
    """(matchers, ends_at, reason) from a POST /silences body."""
    raw = body.get("matchers")
    if not isinstance(raw, dict) or not raw:
        raise InputError("matchers must be a non-empty object of label: value(s)", "matchers")
    matchers: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        if key not in MATCH_KEYS:
            raise InputError(
                f"matcher {key!r}: use one of {', '.join(MATCH_KEYS)}", f"matchers.{key}"
            )
        values = [value] if isinstance(value, str) else value
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) and v.strip() for v in values)
        ):
            raise InputError(
                f"matcher {key!r} needs a non-empty string or list of strings", f"matchers.{key}"
            )
        matchers[key] = tuple(v.strip() for v in values)
    ends_at = _ends_at(body, now, MAX_SILENCE, "a silence")
    reason = text(body, "reason", required=True, limit=500)
    return matchers, ends_at, reason


def whole_number(raw: str, name: str, low: int, high: int) -> int:
    """A query parameter of ASCII digits only (``int()`` also takes ``1_0``, `` 5``, ``٣``)."""
    if not re.fullmatch(r"[0-9]{1,9}", raw):
        if re.fullmatch(r"-?[0-9]+", raw):
            raise InputError(f"{name} must be between {low} and {high}", name, 400)
        raise InputError(f"{name} must be a whole number", name, 400)
    value = int(raw)
    if not low <= value <= high:
        raise InputError(f"{name} must be between {low} and {high}", name, 400)
    return value
