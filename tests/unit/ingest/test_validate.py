from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.ingest.validate import InvalidBody, parse_body, validate_event
from shared.errors import InvalidMessage

NOW = datetime(2024, 1, 10, 3, 0, tzinfo=UTC)


def event(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_id": "e1",
        "platform": "x",
        "kind": "post",
        "account_id": "x-1",
        "created_at": "2024-01-10T08:00:00+07:00",
        "text": "Selamat pagi",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not ...}


def test_valid_post_passes() -> None:
    assert validate_event(event(), NOW).text == "Selamat pagi"


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (event(account_id=123), "$.account_id"),
        (event(event_id=...), "event_id"),
        (event(kind="retweet"), "$.kind"),
        (event(platform="myspace"), "$.platform"),
        (event(created_at="2024-01-10T08:00:00"), "$.created_at"),
        ((event(created_at=(NOW + timedelta(days=2)).isoformat())), "$.created_at"),
        (event(created_at="1970-01-01T00:00:00+00:00"), "$.created_at"),  # epoch zero
        (event(kind="like", text=""), "$.target"),
        (event(kind="post", text="  "), "$.text"),
        (event(received_at="2024-01-10T08:00:00+07:00"), "$.received_at"),
        (event(hashtags="#notalist"), "$.hashtags"),
        (event(text="x" * 20_001), "$.text"),
        ("just a string", "$"),
    ],
)
def test_invalid_items_name_the_field(item: Any, field: str) -> None:
    with pytest.raises(InvalidMessage) as caught:
        validate_event(item, NOW)
    assert field in str(caught.value)


def test_like_with_target_passes() -> None:
    like = validate_event(event(kind="like", text="", target={"account_id": "x-9"}), NOW)
    assert like.target is not None and like.target.account_id == "x-9"


@pytest.mark.parametrize(
    ("body", "content_type", "count"),
    [
        (b'[{"a":1},{"b":2}]', "application/json", 2),
        (b'{"a":1}', "application/json", 1),
        (b'{"a":1}\n\n{"b":2}\n', "application/x-ndjson", 2),
        (b'{"a":1}\n{"b":2}', "application/json", 2),
    ],
)
def test_parse_body_accepts_arrays_objects_and_ndjson(
    body: bytes, content_type: str, count: int
) -> None:
    assert len(parse_body(body, content_type)) == count


@pytest.mark.parametrize(
    ("body", "content_type", "fragment"),
    [
        (b"", "application/json", "empty"),
        (b"[{", "application/json", "malformed JSON"),
        (b"42", "application/json", "expected a JSON array"),
        (b'{"a":1}\n{oops', "application/x-ndjson", "line 2"),
    ],
)
def test_parse_body_rejects_unreadable_bodies(
    body: bytes, content_type: str, fragment: str
) -> None:
    with pytest.raises(InvalidBody) as caught:
        parse_body(body, content_type)
    assert fragment in str(caught.value)
