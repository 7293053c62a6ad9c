"""The start-up heap is frozen out of the collector's way; a reload refreezes it so that a
replaced version caught in a reference cycle is still freed."""

from __future__ import annotations

import gc
import weakref

from shared.lifecycle import freeze_startup_heap, refreeze_heap


class Version:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_a_replaced_version_in_a_cycle_is_freed_after_refreeze() -> None:
    old = Version()
    gone = weakref.ref(old)
    try:
        freeze_startup_heap()
        assert gc.get_freeze_count() > 0
        del old  # replaced by a reload: unreachable, but frozen
        gc.collect()
        assert gone() is not None, "a frozen cycle is out of the collector's reach"
        refreeze_heap()
        assert gone() is None
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_refreeze_is_a_no_op_where_nothing_was_frozen() -> None:
    assert gc.get_freeze_count() == 0
    refreeze_heap()
    assert gc.get_freeze_count() == 0
