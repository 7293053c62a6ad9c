import base64
from datetime import UTC, datetime

from shared.dead_letters import DlqGuard, dead_letter


def test_dead_letter_keeps_the_original_bytes() -> None:
    raw = b"\x00\xffnot json"
    letter = dead_letter("classify", "malformed JSON", "t", 2, 7, None, raw, datetime.now(UTC))
    assert base64.b64decode(letter.value_b64) == raw
    assert (letter.origin_topic, letter.origin_partition, letter.origin_offset) == ("t", 2, 7)


def test_guard_trips_only_on_a_full_window_over_the_ratio() -> None:
    guard = DlqGuard(ratio=0.5, window=10)
    assert guard.record(dead=0, total=5) is False  # window not yet full
    assert guard.record(dead=5, total=5) is False  # 5 of 10: not over half
    assert guard.record(dead=1, total=1) is True  # 6 of the last 10
    assert guard.record(dead=0, total=10) is False
