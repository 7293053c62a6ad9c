"""``netral.verdict/1``: the classifier's scores for one event, with evidence for each label."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from shared.schema.event import Event

VERDICT_SCHEMA = "netral.verdict/1"

Category = Literal[
    "contestant_engagement",
    "partisan_support",
    "partisan_opposition",
    "campaign_involvement",
    "money_politics",
    "intimidation",
    "hoax",
    "hate_speech",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

Severity = Literal["none", "low", "medium", "high"]
SEVERITIES: tuple[str, ...] = Severity.__args__  # type: ignore[attr-defined]


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a label was given: the rule, the matched span in the named field, what it enforces.

    ``start``/``end`` are character offsets into the original (un-normalised) text of ``field``;
    for watch-list matches ``field`` is ``target.account_id`` and the span covers that id.
    """

    category: Category
    rule_id: str
    field: str
    start: int
    end: int
    match: str
    excerpt: str
    enforces: str
    weight: float


@dataclass(frozen=True, slots=True)
class Verdict:
    event_id: str
    account_id: str
    scores: dict[str, float]
    labels: tuple[Category, ...]
    severity: Severity
    evidence: tuple[Evidence, ...]
    policy_version: str
    classified_at: datetime
    event: Event
    label_severity: dict[str, Severity] = field(default_factory=dict)
    negated_by: tuple[str, ...] = ()
    election_id: str = ""
    phase: str = ""
    contestants: tuple[str, ...] = ()
    schema: Literal["netral.verdict/1"] = "netral.verdict/1"
