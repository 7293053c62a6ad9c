"""Building dead letters and the guard that stops a worker drowning in them."""

from __future__ import annotations

import base64
from collections import deque
from datetime import datetime

from shared.schema import DeadLetter


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
