"""The topic registry: every topic declared once, with its key, value type, producer and consumers.

Physical names come from :class:`shared.settings.KafkaSettings` so a deployment can rename them;
the defaults here are the names documented in the README.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.schema import CaseChange, DeadLetter, Event, Verdict
from shared.settings import KafkaSettings


@dataclass(frozen=True, slots=True)
class Topic:
    role: str
    default_name: str
    key_field: str
    value_type: type
    producers: tuple[str, ...]
    consumers: tuple[str, ...]

    def name(self, kafka: KafkaSettings) -> str:
        return str(getattr(kafka, f"{self.role}_topic"))


EVENTS = Topic("events", "netral.events.v1", "account_id", Event, ("ingest",), ("classify",))
VERDICTS = Topic("verdicts", "netral.verdicts.v1", "account_id", Verdict, ("classify",), ("alert",))
CASES = Topic(
    "cases", "netral.cases.v1", "account_id", CaseChange, ("alert",), ("alert rebuild", "case desk")
)
DLQ = Topic(
    "dlq", "netral.dlq.v1", "origin key", DeadLetter, ("classify", "alert"), ("replay-dlq",)
)

ALL: tuple[Topic, ...] = (EVENTS, VERDICTS, CASES, DLQ)


def names(kafka: KafkaSettings) -> list[str]:
    return [topic.name(kafka) for topic in ALL]
