"""Routing decisions, table-driven: the tree, inheritance, `continue`, and role resolution."""

from pathlib import Path

import pytest

from services.alert.route import (
    deadline_s,
    load_routing,
    match_routes,
    recipients,
    seconds,
    start_level,
)
from shared.errors import InvalidReferenceData
from shared.registry import load_registry
from shared.schema import AsnRef
from shared.settings import ReferenceSettings

REF = ReferenceSettings()
REGISTRY = load_registry(REF.registry)
ROUTING = load_routing(REF.routing)

TREE = """
version: t
oversight_body: BKN
election_authority: Bawaslu
chain:
  - {name: one, notify: [direct_superior], ack_within: 1h}
  - {name: two, notify: [direct_superior, agency_hr], ack_within: 2h}
  - {name: three, notify: [ppk], referral: [oversight_body], ack_within: 30m}
start_level: {low: 1, medium: 2, high: 3}
route:
  receiver: base
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 24h
  routes:
    - match: {severity: [high]}
      receiver: urgent
      group_wait: 0s
      continue: true
    - match: {agency: [pemkab-sleman], category: [hoax, hate_speech]}
      receiver: comms
      routes:
        - match: {phase: [quiet]}
          receiver: urgent
receivers:
  - {name: base, channels: [log]}
  - {name: urgent, channels: [webhook, log]}
  - {name: comms, channels: [slack]}
"""


@pytest.fixture
def tree(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "routing.yaml"
    path.write_text(TREE)
    return load_routing(path)


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ({"severity": "low", "agency": "x"}, [("base", 30.0, ())]),
        ({"severity": "high", "agency": "x"}, [("urgent", 0.0, (0,))]),
        # continue: high hoax in Sleman also reaches comms
        (
            {"severity": "high", "agency": "pemkab-sleman", "category": "hoax"},
            [("urgent", 0.0, (0,)), ("comms", 30.0, (1,))],
        ),
        (
            {"severity": "medium", "agency": "pemkab-sleman", "category": "hoax", "phase": "quiet"},
            [("urgent", 30.0, (1, 0))],
        ),  # group_wait inherited from the root via comms
        (
            {"severity": "medium", "agency": "pemkab-sleman", "category": "money_politics"},
            [("base", 30.0, ())],
        ),
    ],
)
def test_tree_matching(tree, labels, expected) -> None:  # type: ignore[no-untyped-def]
    routes = match_routes(labels, tree)
    assert [(r.receiver, r.group_wait_s, r.path) for r in routes] == expected
    assert all(r.repeat_interval_s == 86400 for r in routes)


def test_durations_and_levels(tree) -> None:  # type: ignore[no-untyped-def]
    assert seconds("90s") == 90 and seconds("2d") == 172800
    assert [start_level(s, tree) for s in ("low", "medium", "high")] == [1, 2, 3]
    assert [deadline_s(n, tree) for n in (1, 2, 3, 9)] == [3600, 7200, 1800, 1800]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (("receiver: comms", "receiver: nobody"), "unknown receiver"),
        (("channels: [slack]", "channels: [pager]"), "unknown channels"),
        (("ack_within: 1h", "ack_within: soon"), "ack_within"),
        (("high: 3}", "high: 7}"), "beyond the chain"),
    ],
)
def test_invalid_routing_is_refused(tmp_path: Path, change: tuple[str, str], fragment: str) -> None:
    path = tmp_path / "routing.yaml"
    path.write_text(TREE.replace(*change))
    with pytest.raises(InvalidReferenceData) as caught:
        load_routing(path)
    assert fragment in str(caught.value)


def asn_of(employee_id: str) -> AsnRef:
    employee = REGISTRY.employees[employee_id]
    unit = REGISTRY.units[employee.unit]
    return AsnRef(employee_id, unit.agency, unit.id)


def deep_employee() -> str:
    return max(REGISTRY.employees, key=lambda e: len(REGISTRY.supervisor_chain(e)))


@pytest.mark.parametrize(
    ("level", "roles"),
    [(1, ["supervisor"]), (2, ["supervisor", "hr"]), (3, ["ppk", "hr", "oversight", "authority"])],
)
def test_chain_levels_resolve_roles_through_the_registry(level: int, roles: list[str]) -> None:
    subject = deep_employee()
    found = recipients(asn_of(subject), level, ROUTING, REGISTRY)
    assert sorted(r.split(":")[0] for r in found) == sorted(roles)
    if level < 3:
        assert f"supervisor:{REGISTRY.supervisor_chain(subject)[0]}" in found


def test_oversight_body_is_configuration() -> None:
    found = recipients(asn_of(deep_employee()), 3, ROUTING, REGISTRY)
    assert f"oversight:{ROUTING.oversight_body}" in found


def test_top_official_is_never_sent_their_own_case() -> None:
    agency = next(iter(REGISTRY.agencies.values()))
    found = recipients(asn_of(agency.ppk), 3, ROUTING, REGISTRY)
    assert f"ppk:{agency.ppk}" not in found and f"hr:{agency.hr_unit}" in found


def test_no_superior_falls_through_to_the_next_level() -> None:
    agency = next(iter(REGISTRY.agencies.values()))
    assert recipients(asn_of(agency.ppk), 1, ROUTING, REGISTRY) == (f"hr:{agency.hr_unit}",)


def test_a_superior_with_an_own_open_case_is_skipped() -> None:
    subject = deep_employee()
    superior = REGISTRY.supervisor_chain(subject)[0]
    found = recipients(asn_of(subject), 1, ROUTING, REGISTRY, skip=frozenset({superior}))
    assert f"supervisor:{superior}" not in found and found  # the next level hears instead
