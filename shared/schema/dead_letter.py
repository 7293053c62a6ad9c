"""``netral.dead_letter/1``: a message a stage could not process, kept whole for replay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

DEAD_LETTER_SCHEMA = "netral.dead_letter/1"


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """``value_b64``/``key_b64`` hold the original bytes exactly (base64), so a fixed consumer can
    replay them; ``reason`` is the decoder's path-aware message."""

    stage: str
    reason: str
    origin_topic: str
    origin_partition: int
    origin_offset: int
    value_b64: str
    key_b64: str | None
    at: datetime
    schema: Literal["netral.dead_letter/1"] = "netral.dead_letter/1"
