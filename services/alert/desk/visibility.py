"""Who sees and acts on what. Pure: the signed-in user, the case and the org registry in, a yes or
no out. A supervisor sees the cases of their own unit and every unit below it, except their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from services.alert.desk.users import DeskUser, Role
from shared.registry import Registry
from shared.schema import Case

Permission = Literal["act_on_cases", "manage_silences", "read_access_log", "read_pipeline"]

GRANTS: dict[Role, frozenset[Permission]] = {
    "supervisor": frozenset({"act_on_cases"}),
    "operations": frozenset({"manage_silences", "read_pipeline"}),
    "administrator": frozenset(
        {"act_on_cases", "manage_silences", "read_access_log", "read_pipeline"}
    ),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user as the API sees them (never carries the password hash)."""

    username: str
    role: Role
    employee_id: str | None = None
    display_name: str = ""

    @classmethod
    def of(cls, user: DeskUser) -> Principal:
        return cls(user.username, user.role, user.employee_id, user.display_name)


def may(principal: Principal, permission: Permission) -> bool:
    return permission in GRANTS[principal.role]


def subtree(unit_id: str, registry: Registry) -> frozenset[str]:
    """The unit and all its descendants (following ``parent`` links down)."""
    children: dict[str, list[str]] = {}
    for unit in registry.units.values():
        if unit.parent is not None:
            children.setdefault(unit.parent, []).append(unit.id)
    found: set[str] = set()
    todo = [unit_id] if unit_id in registry.units else []
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, ()))
    return frozenset(found)


def home_unit(principal: Principal, registry: Registry) -> str | None:
    employee = registry.employees.get(principal.employee_id or "")
    return employee.unit if employee is not None else None


def visible_units(principal: Principal, registry: Registry) -> frozenset[str] | None:
    """The units whose cases the user sees; ``None`` means every case."""
    if principal.role != "supervisor":
        return None
    unit = home_unit(principal, registry)
    return subtree(unit, registry) if unit is not None else frozenset()


def sees(principal: Principal, case: Case, units: frozenset[str] | None) -> bool:
    """:func:`can_see` with the user's units already worked out (for lists and the stream)."""
    if units is None:
        return True
    asn = case.asn
    return asn is not None and asn.unit in units and asn.employee_id != principal.employee_id


def can_see(principal: Principal, case: Case, registry: Registry) -> bool:
    return sees(principal, case, visible_units(principal, registry))


def can_act(principal: Principal, case: Case, registry: Registry) -> bool:
    return may(principal, "act_on_cases") and can_see(principal, case, registry)
