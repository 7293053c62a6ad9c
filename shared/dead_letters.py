"""Building dead letters and the guard that stops a worker drowning in them."""

from __future__ import annotations

import base64
from collections import deque
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from shared import codec
from shared.errors import InvalidMessage
from shared.schema import DeadLetter

T = TypeVar("T")


def dead_letter(
    stage: str,
    reason: str,
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    value: bytes | None,
    now: datetime,
) -> DeadLetter:
    return DeadLetter(
        stage=stage,
        reason=reason,
        origin_topic=topic,
        origin_partition=partition,
        origin_offset=offset,
        value_b64=base64.b64encode(value or b"").decode(),
        key_b64=base64.b64encode(key).decode() if key is not None else None,
        at=now,
    )


def decode_all(
    messages: Sequence[Any], into: type[T], stage: str, now: datetime
) -> tuple[list[tuple[Any, T]], list[DeadLetter]]:
    """Decode each Kafka message's value; what cannot be decoded becomes a dead letter."""
    decoded: list[tuple[Any, T]] = []
    dead: list[DeadLetter] = []
    for message in messages:
        try:
            decoded.append((message, codec.decode(message.value, into)))
        except InvalidMessage as exc:
            dead.append(of_message(stage, str(exc), message, now))
    return decoded, dead


def of_message(stage: str, reason: str, message: Any, now: datetime) -> DeadLetter:
    return dead_letter(
        stage,
        reason,
        message.topic,
        message.partition,
        message.offset,
        message.key,
        message.value,
        now,
    )


def reason_kind(reason: str) -> str:
    """A low-cardinality label for metrics (the full reason stays in the dead letter)."""
    if reason.startswith("malformed JSON"):
        return "malformed"
    if reason.startswith("classifier error") or reason.startswith("processing error"):
        return "processing"
    return "invalid"


class DlqGuard:
    """Trips when more than ``ratio`` of the last ``window`` messages were dead-lettered."""

    def __init__(self, ratio: float, window: int) -> None:
        self.ratio = ratio
        self.window = window
        self._recent: deque[bool] = deque(maxlen=window)

    def record(self, dead: int, total: int) -> bool:
        """Record a batch; return True when the guard trips."""
        self._recent.extend([True] * dead + [False] * (total - dead))
        full = len(self._recent) == self.window
        return full and sum(self._recent) > self.ratio * self.window
