"""Listing cases: filters, order (most severe and newest first), keyset paging that survives new
cases arriving, and counts per status over the other filters."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from services.alert.desk.inputs import InputError
from services.alert.desk.listing import (
    CaseQuery,
    decode_cursor,
    encode_cursor,
    parse_query,
    select,
    sort_key,
)
from services.alert.desk.visibility import subtree
from shared.registry import load_registry
from shared.schema import AsnRef, Case
from shared.settings import DEPLOY_CONFIG
from tests.unit.alert.factories import T0

REGISTRY = load_registry(DEPLOY_CONFIG / "registry.sample.yaml")
DISDIK = AsnRef("ASN-0008", "pemkab-sleman", "pemkab-sleman/dinas-pendidikan")
DINKES = AsnRef("ASN-0012", "pemkab-sleman", "pemkab-sleman/dinas-kesehatan")


def case(case_id: str, severity: str = "medium", minutes: int = 0, **changes: object) -> Case:
    seen = T0 + timedelta(minutes=minutes)
    base = Case(
        case_id=case_id,
        key=case_id,
        account_id=f"x-{case_id}",
        category="partisan_support",
        status="open",
        severity=severity,  # type: ignore[arg-type]
        count=1,
        first_seen=seen,
        last_seen=seen,
        opened_at=seen,
        first_event_id="e",
        last_event_id="e",
        asn=DISDIK,
        election_id="pemilu-2024",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def query(**params: str) -> CaseQuery:
    return parse_query(params, REGISTRY, lambda u: subtree(u, REGISTRY))


def everyone(_: Case) -> bool:
    return True


def test_most_severe_then_newest_first_or_newest_first() -> None:
    cases = [
        case("a", "low", 5),
        case("b", "high", 1),
        case("c", "medium", 9),
        case("d", "high", 3),
    ]
    assert [c.case_id for c in select(cases, query(), everyone).items] == ["d", "b", "c", "a"]
    newest = select(cases, query(sort="newest"), everyone).items
    assert [c.case_id for c in newest] == ["c", "a", "d", "b"]


def test_paging_walks_every_case_once_even_when_new_ones_arrive() -> None:
    cases = [case(f"c{i}", ("low", "medium", "high")[i % 3], i) for i in range(7)]
    seen: list[str] = []
    cursor = ""
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = select(cases, query(**params), everyone)
        seen += [c.case_id for c in page.items]
        cases.append(case(f"new{len(seen)}", "high", 100 + len(seen)))  # sorts before the cursor
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(f"c{i}" for i in range(7))


def test_filters_and_counts() -> None:
    cases = [
        case("a", status="acknowledged"),
        case("b", asn=DINKES),
        case("c", category="hoax"),
        case("d", assignee="ASN-0007", minutes=30),
        case("e", election_id="pilkada-2024"),
        case("f", status="resolved", severity="low"),
    ]

    def ids(**params: str) -> list[str]:
        return sorted(c.case_id for c in select(cases, query(**params), everyone).items)

    assert ids(status="open,acknowledged") == ["a", "b", "c", "d", "e"]
    assert ids(unit="pemkab-sleman/dinas-kesehatan") == ["b"]
    assert ids(unit="pemkab-sleman/setda") == ["a", "b", "c", "d", "e", "f"]
    assert ids(category="hoax") == ["c"]
    assert ids(assignee="ASN-0007") == ["d"]
    assert "d" not in ids(assignee="none")
    assert ids(election="pilkada-2024") == ["e"]
    assert ids(since=(T0 + timedelta(minutes=10)).isoformat()) == ["d"]
    assert "d" not in ids(until=(T0 + timedelta(minutes=30)).isoformat())
    assert ids(severity="low") == ["f"]
    assert ids(q="X-B") == ["b"]
    page = select(cases, query(status="resolved", severity="medium"), everyone)
    assert page.items == []
    assert page.counts == {"open": 4, "acknowledged": 1, "snoozed": 0, "resolved": 0}
    assert page.total == 5


def test_only_visible_cases_are_listed_or_counted() -> None:
    cases = [case("a"), case("b", asn=DINKES)]
    page = select(cases, query(), lambda c: c.asn == DISDIK)
    assert [c.case_id for c in page.items] == ["a"] and page.total == 1


def test_cursor_round_trip() -> None:
    key = sort_key(case("a", "high", 3), "severity")
    assert decode_cursor(encode_cursor(key)) == key


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "closed"}, "status"),
        ({"severity": "none"}, "severity"),
        ({"category": "gossip"}, "category"),
        ({"unit": "nowhere"}, "unit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "x"}, "limit"),
        ({"since": "2024-01-01"}, "since"),
        ({"until": "soon"}, "until"),
        ({"sort": "oldest"}, "sort"),
        ({"cursor": "bm90LWpzb24"}, "cursor"),
    ],
)
def test_bad_query_names_the_parameter(params: dict[str, str], field: str) -> None:
    with pytest.raises(InputError) as raised:
        query(**params)
    assert raised.value.field == field and raised.value.status == 400 and raised.value.message
