"""Who sees and acts on which case: supervisors their unit subtree (never their own case),
operations everything without acting, administrators everything."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from services.alert.cases import apply_finding
from services.alert.desk.visibility import (
    Principal,
    can_act,
    can_see,
    may,
    subtree,
    visible_units,
)
from services.alert.threshold import findings
from shared.registry import Registry, load_registry
from shared.schema import AsnRef, Case
from shared.settings import DEPLOY_CONFIG
from tests.unit.alert.factories import T0, routing, verdict

REGISTRY: Registry = load_registry(DEPLOY_CONFIG / "registry.sample.yaml")
SEKDA = Principal("sekda-sleman", "supervisor", "ASN-0001")
KADISDIK = Principal("kadisdik-sleman", "supervisor", "ASN-0006")
KABID = Principal("kabid", "supervisor", "ASN-0007")
GHOST = Principal("ghost", "supervisor", "ASN-9999")
OPS = Principal("ops", "operations")
ADMIN = Principal("admin", "administrator")


def case_of(asn: AsnRef | None, tmp_path: Path) -> Case:
    found = findings(verdict(), "low")[0]
    case = apply_finding(None, found, "k", False, T0, routing(tmp_path)).case
    return dataclasses.replace(case, asn=asn)


def asn(employee: str, unit: str) -> AsnRef:
    return AsnRef(employee, unit.split("/")[0], unit)


def test_subtree_follows_parent_links_down() -> None:
    assert subtree("pemkab-sleman/setda", REGISTRY) == {
        "pemkab-sleman/setda",
        "pemkab-sleman/bkpsdm",
        "pemkab-sleman/dinas-pendidikan",
        "pemkab-sleman/dinas-kesehatan",
    }
    assert subtree("pemkab-sleman/dinas-kesehatan", REGISTRY) == {"pemkab-sleman/dinas-kesehatan"}
    assert subtree("no-such-unit", REGISTRY) == frozenset()


def test_visible_units_by_role() -> None:
    assert visible_units(KADISDIK, REGISTRY) == frozenset({"pemkab-sleman/dinas-pendidikan"})
    assert visible_units(OPS, REGISTRY) is None
    assert visible_units(ADMIN, REGISTRY) is None
    assert visible_units(GHOST, REGISTRY) == frozenset()  # not in the registry: sees nothing


@pytest.mark.parametrize(
    ("who", "employee", "unit", "sees", "acts"),
    [
        (KADISDIK, "ASN-0008", "pemkab-sleman/dinas-pendidikan", True, True),
        (KADISDIK, "ASN-0012", "pemkab-sleman/dinas-kesehatan", False, False),
        (KADISDIK, "ASN-0006", "pemkab-sleman/dinas-pendidikan", False, False),  # own case
        (KABID, "ASN-0006", "pemkab-sleman/dinas-pendidikan", True, True),  # their superior's
        (SEKDA, "ASN-0012", "pemkab-sleman/dinas-kesehatan", True, True),
        (SEKDA, "ASN-0041", "kanwil-kemenag-jatim/kankemenag-kab-malang", False, False),
        (GHOST, "ASN-0008", "pemkab-sleman/dinas-pendidikan", False, False),
        (OPS, "ASN-0041", "kanwil-kemenag-jatim/kankemenag-kab-malang", True, False),
        (ADMIN, "ASN-0041", "kanwil-kemenag-jatim/kankemenag-kab-malang", True, True),
    ],
)
def test_can_see_and_can_act(
    who: Principal, employee: str, unit: str, sees: bool, acts: bool, tmp_path: Path
) -> None:
    case = case_of(asn(employee, unit), tmp_path)
    assert can_see(who, case, REGISTRY) is sees
    assert can_act(who, case, REGISTRY) is acts


def test_a_case_without_registry_data_is_for_operations_and_administrators(
    tmp_path: Path,
) -> None:
    case = case_of(None, tmp_path)
    assert not can_see(SEKDA, case, REGISTRY)
    assert can_see(OPS, case, REGISTRY) and can_see(ADMIN, case, REGISTRY)


def test_permissions_by_role() -> None:
    table = {
        who.role: {
            p
            for p in ("act_on_cases", "manage_silences", "read_access_log", "read_pipeline")
            if may(who, p)
        }
        for who in (KADISDIK, OPS, ADMIN)
    }
    assert table == {
        "supervisor": {"act_on_cases"},
        "operations": {"manage_silences", "read_pipeline"},
        "administrator": {"act_on_cases", "manage_silences", "read_access_log", "read_pipeline"},
    }
