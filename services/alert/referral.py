"""The referral pack: what a PPK hands to the oversight body and Bawaslu once a person has
confirmed a case. Pure: built from the case, its timeline and its delivery records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from services.alert.outbox import Attempt
from services.alert.route import Routing
from shared.schema import Case, CaseChange


def referral_pack(
    case: Case,
    timeline: Sequence[CaseChange],
    deliveries: Sequence[Attempt],
    routing: Routing,
    now: datetime,
) -> dict[str, Any]:
    """Everything a reviewer needs without another look-up, and nothing more (the employee stays
    pseudonymous; the account id is the public handle the evidence came from)."""
    confirmed = next(
        (c for c in reversed(timeline) if c.action == "resolved" and c.case.outcome == "confirmed"),
        None,
    )
    return {
        "version": "netral.referral/1",
        "prepared_at": now,
        "status": "confirmed by a person" if confirmed else "NOT CONFIRMED: for review only",
        "confirmed_by": confirmed.actor if confirmed else None,
        "confirmation_note": confirmed.note if confirmed else None,
        "to": [routing.oversight_body, routing.election_authority],
        "subject": {
            "employee_id": case.asn.employee_id if case.asn else None,
            "agency": case.asn.agency if case.asn else None,
            "unit": case.asn.unit if case.asn else None,
            "account_id": case.account_id,
        },
        "violation": {
            "category": case.category,
            "severity": case.severity,
            "occurrences": case.count,
            "first_seen": case.first_seen,
            "last_seen": case.last_seen,
            "election_id": case.election_id,
            "phase": case.phase,
            "raised_by": case.raised_by,
            "rules": sorted({e.enforces for e in case.evidence}),
        },
        "evidence": [
            {
                "rule_id": e.rule_id,
                "field": e.field,
                "match": e.match,
                "excerpt": e.excerpt,
                "span": [e.start, e.end],
                "enforces": e.enforces,
            }
            for e in case.evidence
        ],
        "policy_version": case.policy_version,
        "timeline": [
            {
                "at": c.at,
                "action": c.action,
                "actor": c.actor,
                "note": c.note,
                "level": c.case.level,
                "recipients": c.recipients,
            }
            for c in timeline
        ],
        "notifications": [
            {"channel": d.channel, "attempt": d.attempt, "ok": d.ok, "reason": d.reason}
            for d in deliveries
        ],
    }
