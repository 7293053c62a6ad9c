"""Request bodies of the desk: case actions become the same Action ``netral case`` builds, silences
their matchers and end; every refusal names the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.alert.cases import Action
from services.alert.desk.inputs import InputError, parse_action, parse_silence, whole_number

NOW = datetime(2024, 1, 12, 1, 0, tzinfo=UTC)


def known(assignee: str) -> bool:
    return assignee in {"ASN-0007", "ops"}


@pytest.mark.parametrize(
    ("verb", "body", "action"),
    [
        ("ack", {}, Action("acknowledge", "me")),
        ("ack", {"comment": " ok "}, Action("acknowledge", "me", "ok")),
        ("comment", {"comment": "catatan"}, Action("comment", "me", "catatan")),
        ("assign", {"assignee": "ASN-0007"}, Action("reassign", "me", assignee="ASN-0007")),
        ("snooze", {"minutes": 90}, Action("snooze", "me", until=NOW + timedelta(minutes=90))),
        (
            "snooze",
            {"until": "2024-01-12T10:00:00+07:00"},
            Action("snooze", "me", until=datetime(2024, 1, 12, 3, 0, tzinfo=UTC)),
        ),
        (
            "resolve",
            {"outcome": "dismissed", "comment": "berita"},
            Action("resolve", "me", "berita", outcome="dismissed"),
        ),
        ("reopen", {"comment": "bukti baru"}, Action("reopen", "me", "bukti baru")),
    ],
)
def test_actions(verb: str, body: dict[str, Any], action: Action) -> None:
    assert parse_action(verb, body, "me", NOW, known) == action


@pytest.mark.parametrize(
    ("verb", "body", "field"),
    [
        ("explode", {}, "action"),
        ("comment", {"comment": ""}, "comment"),
        ("comment", {"comment": "x" * 4001}, "comment"),
        ("assign", {"assignee": "stranger"}, "assignee"),
        ("snooze", {"minutes": True}, "minutes"),
        ("snooze", {"minutes": 43201}, "minutes"),
        ("snooze", {"minutes": 5, "until": "2024-01-13T00:00:00Z"}, "until"),
        ("snooze", {"until": "2024-03-01T00:00:00Z"}, "until"),  # more than 30 days
        ("snooze", {"until": 1705000000}, "until"),
        ("resolve", {"outcome": None, "comment": "x"}, "outcome"),
        ("reopen", {"comment": None}, "comment"),
    ],
)
def test_action_refusals_name_the_field(verb: str, body: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_action(verb, body, "me", NOW, known)
    assert raised.value.field == field and raised.value.status == 422 and raised.value.message


def test_silence() -> None:
    matchers, ends, reason = parse_silence(
        {"matchers": {"category": "hoax", "unit": ["a", " b "]}, "minutes": 120, "reason": "uji"},
        NOW,
    )
    assert matchers == {"category": ("hoax",), "unit": ("a", "b")}
    assert ends == NOW + timedelta(hours=2) and reason == "uji"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"matchers": ["category=hoax"], "minutes": 5, "reason": "r"}, "matchers"),
        ({"matchers": {"category": [""]}, "minutes": 5, "reason": "r"}, "matchers.category"),
        ({"matchers": {"category": 3}, "minutes": 5, "reason": "r"}, "matchers.category"),
        (
            {"matchers": {"category": "hoax"}, "until": "2024-01-11T00:00:00Z", "reason": "r"},
            "until",
        ),
        ({"matchers": {"category": "hoax"}, "minutes": 5, "reason": " "}, "reason"),
    ],
)
def test_silence_refusals(body: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_silence(body, NOW)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "whole number"),
        ("1_0", "whole number"),  # int() takes these three
        (" 5", "whole number"),
        ("\uff15", "whole number"),  # a full-width 5
        ("1e3", "whole number"),
        ("-1", "between"),
        ("0", "between"),
        ("201", "between"),
        ("9" * 40, "between"),
    ],
)
def test_whole_number_takes_ascii_digits_in_range_only(raw: str, message: str) -> None:
    with pytest.raises(InputError) as refused:
        whole_number(raw, "limit", 1, 200)
    assert message in refused.value.message and refused.value.field == "limit"
    assert refused.value.status == 400


def test_whole_number() -> None:
    assert whole_number("1", "limit", 1, 200) == 1
    assert whole_number("0200", "limit", 1, 200) == 200
