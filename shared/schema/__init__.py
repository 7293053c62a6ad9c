"""Versioned wire types. A breaking change gets a new schema tag and a new topic (``.v2``)."""

from shared.schema.case import Case, CaseChange
from shared.schema.dead_letter import DeadLetter
from shared.schema.event import AsnRef, Event, Media, Target
from shared.schema.verdict import CATEGORIES, SEVERITIES, Evidence, Verdict

__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "AsnRef",
    "Case",
    "CaseChange",
    "DeadLetter",
    "Event",
    "Evidence",
    "Media",
    "Target",
    "Verdict",
]
