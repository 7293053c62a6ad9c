"""The JSON shapes of the desk API, built from the case view. Pure.

The case view keeps only the classifier's evidence windows, not the whole event (data
minimisation), so the "excerpt" of a case is those windows of one field, stitched in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from services.alert.outbox import Attempt
from shared.schema import Case, CaseChange
from shared.schema.verdict import Evidence

ELLIPSIS = "…"
EXCERPT_RADIUS = 60  # services.classify.core cuts evidence excerpts this far around the match


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def case_summary(case: Case, updated_at: datetime | None = None) -> dict[str, Any]:
    asn = case.asn
    return {
        "case_id": case.case_id,
        "account_id": case.account_id,
        "employee_id": asn.employee_id if asn else None,
        "agency": asn.agency if asn else None,
        "unit": asn.unit if asn else None,
        "region": asn.region if asn else None,
        "category": case.category,
        "severity": case.severity,
        "status": case.status,
        "count": case.count,
        "first_seen": iso(case.first_seen),
        "last_seen": iso(case.last_seen),
        "opened_at": iso(case.opened_at),
        "assignee": case.assignee,
        "acknowledged_by": case.acknowledged_by,
        "level": case.level,
        "election_id": case.election_id,
        "phase": case.phase,
        "contestant": case.contestant,
        "snoozed_until": iso(case.snoozed_until),
        "outcome": case.outcome,
        "ack_deadline": iso(case.ack_deadline),
        "updated_at": iso(updated_at),
    }


def case_detail(
    case: Case,
    timeline: Sequence[CaseChange],
    deliveries: Sequence[Attempt],
    can_act: bool,
) -> dict[str, Any]:
    excerpts = stitch_excerpts(case.evidence)
    main = next((e for e in excerpts if e["field"] == "text"), excerpts[0] if excerpts else None)
    notified = [c for c in timeline if c.action == "notified"]
    return {
        **case_summary(case, timeline[-1].at if timeline else None),
        "key": case.key,
        "first_event_id": case.first_event_id,
        "last_event_id": case.last_event_id,
        "level_since": iso(case.level_since),
        "last_notified_at": iso(case.last_notified_at),
        "policy_version": case.policy_version,
        "raised_by": list(case.raised_by),
        "evidence": [evidence_item(e) for e in case.evidence],
        "excerpt": main["text"] if main else "",
        "excerpt_field": main["field"] if main else None,
        "spans": main["spans"] if main else [],
        "spans_utf16": main["spans_utf16"] if main else [],
        "excerpts": excerpts,
        "counts": {
            "events": case.count,
            "notifications": sum(1 for c in notified if c.channels),
            "deliveries_failed": sum(1 for c in timeline if c.action == "delivery_failed"),
            "comments": sum(1 for c in timeline if c.action == "commented"),
            "escalations": sum(1 for c in timeline if c.action == "escalated"),
        },
        "notified": [
            {
                "at": iso(c.at),
                "level": c.case.level,
                "recipients": list(c.recipients),
                "channels": list(c.channels),
                "note": c.note,
            }
            for c in notified
        ],
        "deliveries": [
            {
                "delivery_id": a.delivery_id,
                "channel": a.channel,
                "attempt": a.attempt,
                "ok": a.ok,
                "reason": a.reason,
                "at": iso(datetime.fromtimestamp(a.at, tz=UTC)),
            }
            for a in deliveries
        ],
        "timeline": [timeline_item(c) for c in timeline],
        "can_act": can_act,
    }


def evidence_item(evidence: Evidence) -> dict[str, Any]:
    return {
        "rule_id": evidence.rule_id,
        "category": evidence.category,
        "enforces": evidence.enforces,
        "field": evidence.field,
        "start": evidence.start,
        "end": evidence.end,
        "match": evidence.match,
        "excerpt": evidence.excerpt,
        "weight": evidence.weight,
    }


def timeline_item(entry: CaseChange) -> dict[str, Any]:
    return {
        "at": iso(entry.at),
        "action": entry.action,
        "by": entry.actor,
        "note": entry.note,
        "event_id": entry.event_id,
        "severity": entry.case.severity,
        "status": entry.case.status,
        "level": entry.case.level,
    }


@dataclass(frozen=True, slots=True)
class _Window:
    start: int  # absolute offset of the window's first character in the field's text
    text: str


def locate(evidence: Evidence) -> _Window | None:
    """Where the evidence excerpt sits in the original field text, or None when its match
    cannot be found in it (a synthetic excerpt, e.g. for a watch-list engagement)."""
    body = evidence.excerpt
    if body.endswith(ELLIPSIS) and evidence.match and not evidence.match.endswith(ELLIPSIS):
        body = body[: -len(ELLIPSIS)]
    cut = body.startswith(ELLIPSIS) and evidence.start > 0
    if cut:
        body = body[len(ELLIPSIS) :]
    length = evidence.end - evidence.start
    expected = min(evidence.start, EXCERPT_RADIUS) if cut else evidence.start
    candidates = [expected, *_occurrences(body, evidence.match)]
    for offset in candidates:
        if evidence.match and offset >= 0 and body[offset : offset + length] == evidence.match:
            return _Window(evidence.start - offset, body)
    return None


def stitch_excerpts(evidence: Iterable[Evidence]) -> list[dict[str, Any]]:
    """Per field: the evidence windows merged in text order, gaps marked with an ellipsis, and
    the matched spans as offsets into the stitched text (code points, and UTF-16 units)."""
    by_field: dict[str, list[tuple[Evidence, _Window]]] = {}
    for item in evidence:
        window = locate(item)
        if window is not None:
            by_field.setdefault(item.field, []).append((item, window))
    return [_stitch(field, found) for field, found in by_field.items()]


def _stitch(field: str, found: list[tuple[Evidence, _Window]]) -> dict[str, Any]:
    pieces: list[tuple[int, str]] = []  # (absolute start, text), non-overlapping, in order
    for _, window in sorted(found, key=lambda f: f[1].start):
        if pieces and window.start <= pieces[-1][0] + len(pieces[-1][1]):
            start, text = pieces[-1]
            overlap = start + len(text) - window.start
            pieces[-1] = (start, text + window.text[overlap:])
        else:
            pieces.append((window.start, window.text))
    out, where = "", {}
    for index, (start, text) in enumerate(pieces):
        if index or start:
            out += ELLIPSIS
        where[start] = len(out)
        out += text
    spans: list[dict[str, Any]] = []
    for item, _ in found:
        piece_start = max(s for s, _ in pieces if s <= item.start)
        begin = where[piece_start] + item.start - piece_start
        spans.append(
            {
                "start": begin,
                "end": begin + item.end - item.start,
                "rule_id": item.rule_id,
                "category": item.category,
                "match": item.match,
            }
        )
    spans.sort(key=lambda s: (s["start"], s["end"], s["rule_id"]))
    spans = [s for i, s in enumerate(spans) if i == 0 or s != spans[i - 1]]
    utf16 = [{**s, "start": _utf16(out, s["start"]), "end": _utf16(out, s["end"])} for s in spans]
    return {"field": field, "text": out, "spans": spans, "spans_utf16": utf16}


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle) if needle else -1
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found
