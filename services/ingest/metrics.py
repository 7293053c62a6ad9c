"""Every ingest metric, declared once, on a registry passed in."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


@dataclass(frozen=True)
class IngestMetrics:
    received: Counter
    accepted: Counter
    rejected: Counter
    publish_seconds: Histogram
    registry_version: Gauge

    @classmethod
    def create(cls, registry: CollectorRegistry) -> IngestMetrics:
        return cls(
            received=Counter(
                "netral_ingest_events_received_total",
                "Events received, by source.",
                ["source"],
                registry=registry,
            ),
            accepted=Counter(
                "netral_ingest_events_accepted_total",
                "Events published to the events topic.",
                registry=registry,
            ),
            rejected=Counter(
                "netral_ingest_events_rejected_total",
                "Events not published, by reason (invalid, unregistered, duplicate, unavailable).",
                ["reason"],
                registry=registry,
            ),
            publish_seconds=Histogram(
                "netral_ingest_publish_seconds",
                "Time to publish one request's events (acks=all).",
                registry=registry,
                buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            ),
            registry_version=Gauge(
                "netral_ingest_registry_info",
                "Loaded ASN registry version (value 1).",
                ["version"],
                registry=registry,
            ),
        )
