"""Every classify metric, declared once, on a registry passed in."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram

from shared.stream import ConsumerMetrics


@dataclass(frozen=True)
class ClassifyMetrics:
    consumer: ConsumerMetrics
    classified: Counter
    labelled: Counter
    dead_lettered: Counter
    core_seconds: Histogram
    batch_size: Histogram
    produce_retries: Counter

    @classmethod
    def create(cls, registry: CollectorRegistry) -> ClassifyMetrics:
        return cls(
            consumer=ConsumerMetrics.create(registry, "classify"),
            classified=Counter(
                "netral_classify_events_classified_total",
                "Events classified, by verdict severity.",
                ["severity"],
                registry=registry,
            ),
            labelled=Counter(
                "netral_classify_labels_total",
                "Labels given, by category.",
                ["category"],
                registry=registry,
            ),
            dead_lettered=Counter(
                "netral_classify_dead_letters_total",
                "Messages sent to the DLQ, by reason kind.",
                ["reason"],
                registry=registry,
            ),
            core_seconds=Histogram(
                "netral_classify_core_seconds",
                "Time in the pure classifier per event.",
                registry=registry,
                buckets=(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05),
            ),
            batch_size=Histogram(
                "netral_classify_batch_events",
                "Events per processed batch.",
                registry=registry,
                buckets=(1, 5, 10, 50, 100, 250, 500, 1000, 2000),
            ),
            produce_retries=Counter(
                "netral_classify_produce_retries_total",
                "Batch deliveries retried.",
                registry=registry,
            ),
        )
