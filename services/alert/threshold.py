"""Which of a verdict's labels deserve a case, and at what severity. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from services.alert.route import Routing
from shared.schema import Verdict
from shared.schema.verdict import SEVERITIES, Severity, severity_rank


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


def raised_severity(
    severity: Severity, phase: str, lows_before: int, routing: Routing
) -> tuple[Severity, tuple[str, ...]]:
    """The domain's raises: the Nth low case of one ASN in an election is a medium; anything in
    the quiet period or on voting day goes up one level."""
    raised_by: list[str] = []
    if severity == "low" and lows_before + 1 >= routing.escalation.repeat_lows:
        severity = "medium"
        raised_by.append(f"repeat-lows:{lows_before + 1}")
    if phase and phase in routing.escalation.raise_in_phases and severity != "high":
        severity = SEVERITIES[severity_rank(severity) + 1]  # type: ignore[assignment]
        raised_by.append(f"phase:{phase}")
    return severity, tuple(raised_by)
