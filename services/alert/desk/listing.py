"""Listing cases: filters from the query string, order, keyset paging and per-status counts.
Pure: the cases the index holds and the user's units in, one page out."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import orjson

from services.alert.desk.inputs import InputError, parse_time, whole_number
from shared.registry import Registry
from shared.schema import Case
from shared.schema.case import CaseStatus
from shared.schema.verdict import CATEGORIES, severity_rank

STATUSES: tuple[str, ...] = CaseStatus.__args__  # type: ignore[attr-defined]
SEVERITIES = ("low", "medium", "high")
MAX_LIMIT = 200
SortKey = tuple[float, float, str]


@dataclass(frozen=True, slots=True)
class CaseQuery:
    status: frozenset[str] | None = None
    severity: frozenset[str] | None = None
    category: frozenset[str] | None = None
    units: frozenset[str] | None = None
    assignee: str | None = None
    election: frozenset[str] | None = None
    since: datetime | None = None
    until: datetime | None = None
    q: str = ""
    sort: Literal["severity", "newest"] = "severity"
    limit: int = 50
    after: SortKey | None = None


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Case]
    next_cursor: str | None
    counts: dict[str, int]
    total: int


def _choices(params: Mapping[str, str], name: str, allowed: Iterable[str]) -> frozenset[str] | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    values = frozenset(v.strip() for v in raw.split(",") if v.strip())
    allowed = tuple(allowed)
    unknown = sorted(values - set(allowed))
    if unknown:
        raise InputError(
            f"{name}: unknown {', '.join(unknown)}; use {', '.join(allowed)}", name, 400
        )
    return values


def parse_query(
    params: Mapping[str, str], registry: Registry, subtree: Callable[[str], frozenset[str]]
) -> CaseQuery:
    units = None
    if params.get("unit"):
        unit = params["unit"]
        if unit not in registry.units:
            raise InputError(f"unit: {unit!r} is not a unit of the org registry", "unit", 400)
        units = subtree(unit)
    sort = params.get("sort", "severity")
    if sort not in ("severity", "newest"):
        raise InputError("sort must be severity or newest", "sort", 400)
    limit = whole_number(params.get("limit", "50"), "limit", 1, MAX_LIMIT)
    times = {}
    for name in ("since", "until"):
        if params.get(name):
            try:
                times[name] = parse_time(params[name], name)
            except InputError as exc:
                raise InputError(exc.message, name, 400) from None
    elections = params.get("election", "").strip()
    return CaseQuery(
        status=_choices(params, "status", STATUSES),
        severity=_choices(params, "severity", SEVERITIES),
        category=_choices(params, "category", CATEGORIES),
        units=units,
        assignee=params.get("assignee") or None,
        election=frozenset(e for e in elections.split(",") if e) or None,
        since=times.get("since"),
        until=times.get("until"),
        q=params.get("q", "").strip().lower(),
        sort=sort,  # type: ignore[arg-type]
        limit=limit,
        after=decode_cursor(params["cursor"]) if params.get("cursor") else None,
    )


def sort_key(case: Case, sort: str) -> SortKey:
    rank, seen = -float(severity_rank(case.severity)), -case.last_seen.timestamp()
    return (rank, seen, case.case_id) if sort == "severity" else (seen, rank, case.case_id)


def encode_cursor(key: SortKey) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(key))).decode().rstrip("=")


def decode_cursor(cursor: str) -> SortKey:
    try:
        a, b, c = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return (float(a), float(b), str(c))
    except (ValueError, TypeError):
        raise InputError("cursor is not one this API gave out", "cursor", 400) from None


def matches(case: Case, query: CaseQuery) -> bool:
    """Every filter except status (counts per status are over the other filters)."""
    asn = case.asn
    if query.severity is not None and case.severity not in query.severity:
        return False
    if query.category is not None and case.category not in query.category:
        return False
    if query.units is not None and (asn is None or asn.unit not in query.units):
        return False
    if query.assignee is not None:
        wanted = None if query.assignee == "none" else query.assignee
        if case.assignee != wanted:
            return False
    if query.election is not None and case.election_id not in query.election:
        return False
    if query.since is not None and case.last_seen < query.since:
        return False
    if query.until is not None and case.last_seen >= query.until:
        return False
    if query.q:
        haystack = f"{case.case_id} {case.account_id} {asn.employee_id if asn else ''}".lower()
        if query.q not in haystack:
            return False
    return True


def select(cases: Iterable[Case], query: CaseQuery, visible: Callable[[Case], bool]) -> Page:
    counts = dict.fromkeys(STATUSES, 0)
    chosen: list[tuple[SortKey, Case]] = []
    for case in cases:
        if not visible(case) or not matches(case, query):
            continue
        counts[case.status] += 1
        if query.status is not None and case.status not in query.status:
            continue
        key = sort_key(case, query.sort)
        if query.after is None or key > query.after:
            chosen.append((key, case))
    chosen.sort(key=lambda pair: pair[0])
    page = chosen[: query.limit]
    more = len(chosen) > query.limit
    cursor = encode_cursor(page[-1][0]) if more and page else None
    return Page([case for _, case in page], cursor, counts, sum(counts.values()))


def summaries_json(page: Page, summary: Callable[[Case], dict[str, Any]]) -> dict[str, Any]:
    return {
        "items": [summary(case) for case in page.items],
        "next_cursor": page.next_cursor,
        "counts": page.counts,
        "total": page.total,
    }
