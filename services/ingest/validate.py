"""Pure validation of incoming events: body parsing, schema, and per-kind rules. No I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from shared import codec
from shared.errors import InvalidMessage
from shared.schema import Event

NEEDS_TARGET = frozenset({"comment", "share", "like", "follow", "join_group"})
MAX_CLOCK_SKEW = timedelta(hours=1)
# No social-media post is older than this; an earlier time is a broken clock or a parse error
# upstream (epoch zero, year 1), and would file the event outside every election calendar.
EARLIEST_CREATED_AT = datetime(2000, 1, 1, tzinfo=UTC)


class InvalidBody(ValueError):
    """The request body as a whole cannot be read (not JSON, not NDJSON, wrong top-level type)."""


def parse_body(body: bytes, content_type: str) -> list[Any]:
    """Return the items of a JSON array, a single JSON object, or NDJSON (one object per line)."""
    if not body.strip():
        raise InvalidBody("empty body: send a JSON array of events or NDJSON")
    if "ndjson" in content_type or "jsonl" in content_type:
        return _parse_ndjson(body)
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        if body.lstrip().startswith(b"{") and b"\n" in body.strip():
            return _parse_ndjson(body)
        raise InvalidBody(f"malformed JSON: {exc}") from None
    if isinstance(parsed, dict):
        return [parsed]
    if isinstance(parsed, list):
        return parsed
    raise InvalidBody(f"expected a JSON array of events, got {type(parsed).__name__}")


def _parse_ndjson(body: bytes) -> list[Any]:
    items: list[Any] = []
    for number, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            raise InvalidBody(f"malformed JSON on line {number}: {exc}") from None
    return items


def validate_event(item: Any, now: datetime) -> Event:
    """Check one item against ``netral.event/1`` and the per-kind rules.

    Raises :class:`InvalidMessage` whose text names the offending field (``$.created_at``).
    """
    if not isinstance(item, dict):
        raise InvalidMessage(f"Expected `object`, got `{type(item).__name__}` - at `$`")
    for server_field in ("received_at", "asn"):
        if server_field in item:
            raise InvalidMessage(
                f"`{server_field}` is set by ingest, not by clients - at `$.{server_field}`"
            )
    event = codec.convert(item, Event)
    if event.created_at.tzinfo is None:
        raise InvalidMessage("timestamp needs a UTC offset (RFC 3339) - at `$.created_at`")
    if event.created_at - now > MAX_CLOCK_SKEW:
        raise InvalidMessage("timestamp is in the future - at `$.created_at`")
    if event.created_at < EARLIEST_CREATED_AT:
        raise InvalidMessage("timestamp is before 2000-01-01 - at `$.created_at`")
    if event.kind in NEEDS_TARGET and event.target is None:
        raise InvalidMessage(
            f"a `{event.kind}` needs the account or post it acted on - at `$.target`"
        )
    if event.kind == "post" and not (event.text.strip() or event.media or event.url):
        raise InvalidMessage("a `post` needs text, media or a url - at `$.text`")
    return event
