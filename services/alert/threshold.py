"""Which of a verdict's labels deserve a case. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from shared.schema import Verdict
from shared.schema.verdict import Severity, severity_rank


@dataclass(frozen=True, slots=True)
class Finding:
    """One label of one verdict that crosses the alerting threshold."""

    verdict: Verdict
    category: str
    severity: Severity


def findings(verdict: Verdict, min_severity: Severity) -> list[Finding]:
    floor = severity_rank(min_severity)
    found = []
    for label in verdict.labels:
        severity = verdict.label_severity.get(label, verdict.severity)
        if severity_rank(severity) >= floor:
            found.append(Finding(verdict, label, severity))
    return found
