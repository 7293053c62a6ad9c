"""The facts a person reads in an alert, taken once from a notification for every human channel.

Pure and format-free: nothing here is escaped or marked up. Each channel escapes the text for its
own format and wraps the emphasised spans of the excerpt its own way (see :func:`mark`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from services.alert.channels.base import Notification
from shared.schema import Case, CaseChange, Evidence


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the evidence excerpt; ``emphasised`` when a rule matched it."""

    text: str
    emphasised: bool = False


@dataclass(frozen=True, slots=True)
class Facts:
    """Who, what and why of one notification, as plain text.

    ``headline`` is one line (safe for a mail subject): ``[Netral][HIGH] money_politics —
    ASN-0025 (x3)``. ``excerpt`` is empty when the case carries no evidence; ``field`` names where
    the excerpt was taken from (``text``, ``hashtags[0]``, ``target.account_id``).
    """

    headline: str
    severity: str
    category: str
    who: str
    what: str
    excerpt: tuple[Span, ...]
    field: str
    rules: tuple[str, ...]
    count: int
    recipients: tuple[str, ...]
    link: str
    case_id: str


def facts(notification: Notification) -> Facts:
    change, case = notification.change, notification.change.case
    first = case.evidence[0] if case.evidence else None
    return Facts(
        headline=headline(case),
        severity=case.severity.upper(),
        category=case.category,
        who=_who(case),
        what=_what(change),
        excerpt=excerpt_spans(first, case.evidence) if first else (),
        field=first.field if first else "",
        rules=tuple(dict.fromkeys(f"{e.rule_id}: {e.enforces}" for e in case.evidence)),
        count=case.count,
        recipients=notification.recipients,
        link=notification.link,
        case_id=case.case_id,
    )


def headline(case: Case) -> str:
    who = case.asn.employee_id if case.asn else case.account_id
    line = f"[Netral][{case.severity.upper()}] {case.category} — {who} (x{case.count})"
    return " ".join(line.split())  # a CR or LF from the data must not reach a mail header


def excerpt_spans(first: Evidence, evidence: Iterable[Evidence]) -> tuple[Span, ...]:
    """Split ``first.excerpt`` around every match of the evidence quoting the same excerpt."""
    text = first.excerpt
    marks = [_locate(text, e) for e in evidence if e.excerpt == text and e.field == first.field]
    spans: list[Span] = []
    at = 0
    for start, end in _merge(marks):
        if start > at:
            spans.append(Span(text[at:start]))
        spans.append(Span(text[start:end], emphasised=True))
        at = end
    if at < len(text):
        spans.append(Span(text[at:]))
    return tuple(spans)


def mark(spans: Iterable[Span], escape: Callable[[str], str], open_: str, close: str) -> str:
    """Join the spans, escaping each and wrapping the emphasised ones in ``open_``/``close``."""
    return "".join(
        f"{open_}{escape(s.text)}{close}" if s.emphasised else escape(s.text) for s in spans
    )


def _locate(text: str, evidence: Evidence) -> tuple[int, int]:
    # Offsets count in the whole field; a windowed excerpt ("…" + part) shifts them, so fall
    # back to the first occurrence of the matched text.
    if evidence.match and text[evidence.start : evidence.end] == evidence.match:
        return evidence.start, evidence.end
    found = text.find(evidence.match) if evidence.match else -1
    return (found, found + len(evidence.match)) if found >= 0 else (0, 0)


def _merge(marks: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(m for m in marks if m[1] > m[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _who(case: Case) -> str:
    if case.asn is None:
        return f"account {case.account_id} (not in the ASN registry)"
    return f"{case.asn.employee_id}, {case.asn.unit} (account {case.account_id})"


def _what(change: CaseChange) -> str:
    case = change.case
    times = "time" if case.count == 1 else "times"
    span = _when(case.first_seen)
    if case.last_seen != case.first_seen:
        span = f"{span} to {_when(case.last_seen)}"
    what = f"{case.category}, {case.count} {times} ({span}); case {change.action}"
    return f"{what}: {change.note}" if change.note else what


def _when(at: datetime) -> str:
    return at.isoformat(sep=" ", timespec="minutes")
