import pytest

from services.alert.route import load_routing, recipients
from shared.registry import load_registry
from shared.schema import AsnRef
from shared.settings import ReferenceSettings

REF = ReferenceSettings()
REGISTRY = load_registry(REF.registry)
ROUTING = load_routing(REF.routing)


def asn_of(employee_id: str) -> AsnRef:
    employee = REGISTRY.employees[employee_id]
    unit = REGISTRY.units[employee.unit]
    return AsnRef(employee_id, unit.agency, unit.id)


def deep_employee() -> str:
    return max(REGISTRY.employees, key=lambda e: len(REGISTRY.supervisor_chain(e)))


@pytest.mark.parametrize(
    ("severity", "roles"),
    [
        ("low", ["supervisor"]),
        ("medium", ["supervisor", "hr"]),
        ("high", ["ppk", "hr", "supervisor", "oversight", "authority"]),
    ],
)
def test_levels_resolve_roles_through_the_registry(severity: str, roles: list[str]) -> None:
    subject = deep_employee()
    found = recipients(asn_of(subject), severity, ROUTING, REGISTRY)
    assert sorted(r.split(":")[0] for r in found) == sorted(roles)
    superior = REGISTRY.supervisor_chain(subject)[0]
    assert f"supervisor:{superior}" in found


def test_oversight_body_is_configuration() -> None:
    found = recipients(asn_of(deep_employee()), "high", ROUTING, REGISTRY)
    assert f"oversight:{ROUTING.oversight_body}" in found


def test_top_official_is_never_sent_their_own_case() -> None:
    agency = next(iter(REGISTRY.agencies.values()))
    found = recipients(asn_of(agency.ppk), "high", ROUTING, REGISTRY)
    assert f"ppk:{agency.ppk}" not in found
    assert f"hr:{agency.hr_unit}" in found


def test_no_superior_falls_back_to_the_discipline_unit() -> None:
    agency = next(iter(REGISTRY.agencies.values()))
    assert recipients(asn_of(agency.ppk), "low", ROUTING, REGISTRY) == (f"hr:{agency.hr_unit}",)
