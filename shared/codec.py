"""The one place bytes become types and types become bytes.

Encoding uses orjson (dataclasses and datetimes natively). Decoding uses msgspec in strict mode,
whose path-aware errors (``Expected `str`, got `int` - at `$.account_id```) become the DLQ reason
or the HTTP 4xx message.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
import orjson

from shared.errors import InvalidMessage

T = TypeVar("T")

_decoders: dict[type[Any], msgspec.json.Decoder[Any]] = {}


def encode(value: Any) -> bytes:
    return orjson.dumps(value)


def decode(raw: bytes | bytearray | memoryview | str, into: type[T]) -> T:
    """Decode JSON bytes into ``into``; raise :class:`InvalidMessage` with a path-aware reason."""
    decoder = _decoders.get(into)
    if decoder is None:
        decoder = _decoders[into] = msgspec.json.Decoder(into)
    try:
        return decoder.decode(raw)  # type: ignore[no-any-return]
    except msgspec.ValidationError as exc:
        raise InvalidMessage(str(exc)) from None
    except msgspec.DecodeError as exc:
        raise InvalidMessage(f"malformed JSON: {exc}") from None


def convert(obj: Any, into: type[T]) -> T:
    """Like :func:`decode`, for an already-parsed JSON value (one item of an array)."""
    try:
        return msgspec.convert(obj, into)
    except msgspec.ValidationError as exc:
        raise InvalidMessage(str(exc)) from None
