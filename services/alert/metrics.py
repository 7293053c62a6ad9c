"""Every alert metric, declared once, on a registry passed in."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram

from shared.stream import ConsumerMetrics


@dataclass(frozen=True)
class AlertMetrics:
    consumer: ConsumerMetrics
    verdicts: Counter
    cases: Counter
    notifications: Counter
    delivery_seconds: Histogram
    dead_lettered: Counter
    resolved: Counter
    event_to_notification: Histogram
    retries: Counter

    @classmethod
    def create(cls, registry: CollectorRegistry) -> AlertMetrics:
        return cls(
            consumer=ConsumerMetrics.create(registry, "alert"),
            verdicts=Counter(
                "netral_alert_verdicts_total",
                "Verdicts consumed.",
                registry=registry,
            ),
            cases=Counter(
                "netral_alert_case_changes_total",
                "Case changes written, by action.",
                ["action"],
                registry=registry,
            ),
            notifications=Counter(
                "netral_alert_notifications_total",
                "Notification deliveries by channel and result.",
                ["channel", "result"],
                registry=registry,
            ),
            delivery_seconds=Histogram(
                "netral_alert_notification_delivery_seconds",
                "From the decision to notify to the channel accepting it (retries included).",
                registry=registry,
                buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            ),
            dead_lettered=Counter(
                "netral_alert_dead_letters_total",
                "Verdicts sent to the DLQ, by reason kind.",
                ["reason"],
                registry=registry,
            ),
            resolved=Counter(
                "netral_alert_cases_resolved_total",
                "Cases resolved by a person, by outcome.",
                ["outcome"],
                registry=registry,
            ),
            event_to_notification=Histogram(
                "netral_alert_event_to_notification_seconds",
                "From ingest of the newest event in a notification to its delivery.",
                registry=registry,
                buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
            ),
            retries=Counter(
                "netral_alert_retries_total",
                "Batch retries of Redis or Kafka writes.",
                registry=registry,
            ),
        )
