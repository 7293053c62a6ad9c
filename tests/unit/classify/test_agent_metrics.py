"""The classify agent counts a batch per label value, and the totals are those of counting each
verdict and dead letter one by one."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import CollectorRegistry

from services.classify.agent import BatchResult, _count
from services.classify.metrics import ClassifyMetrics
from shared.dead_letters import dead_letter
from tests.unit.alert.factories import verdict

NOW = datetime(2024, 1, 12, 3, 0, tzinfo=UTC)


def test_batch_counts_equal_one_by_one_counts() -> None:
    verdicts = [
        verdict("e1", {"partisan_support": "medium", "hoax": "low"}),
        verdict("e2", {"partisan_support": "high"}),
        verdict("e3", {}),
        verdict("e4", {"partisan_support": "medium"}),
    ]
    dead = [
        dead_letter("classify", "malformed JSON: x", "t", 0, 1, None, b"{", NOW),
        dead_letter("classify", "Expected `str`", "t", 0, 2, None, b"{}", NOW),
        dead_letter("classify", "malformed JSON: y", "t", 0, 3, None, b"[", NOW),
    ]
    registry = CollectorRegistry()
    _count(BatchResult(verdicts, dead), ClassifyMetrics.create(registry))

    def value(name: str, **labels: str) -> float | None:
        return registry.get_sample_value(name, labels)

    assert value("netral_classify_events_classified_total", severity="medium") == 2
    assert value("netral_classify_events_classified_total", severity="high") == 1
    assert value("netral_classify_events_classified_total", severity="none") == 1
    assert value("netral_classify_labels_total", category="partisan_support") == 3
    assert value("netral_classify_labels_total", category="hoax") == 1
    assert value("netral_classify_labels_total", category="intimidation") is None
    assert value("netral_classify_dead_letters_total", reason="malformed") == 2
    assert value("netral_classify_dead_letters_total", reason="invalid") == 1
    assert value("netral_classify_batch_events_count") == 1
    assert value("netral_classify_batch_events_sum") == 7
