"""The ASN registry: which accounts are monitored, and each employee's unit and supervisor chain.

Only accounts listed here are ever published; everything else is dropped (and counted) at ingest.
Employees are pseudonymous ids: the registry never holds names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shared.errors import InvalidReferenceData
from shared.reference import convert, load_yaml
from shared.schema.event import AsnRef, Platform


@dataclass(frozen=True, slots=True)
class Account:
    platform: Platform
    account_id: str


@dataclass(frozen=True, slots=True)
class Agency:
    id: str
    name: str
    hr_unit: str
    ppk: str
    region: str = ""


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    agency: str
    name: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Employee:
    employee_id: str
    unit: str
    accounts: tuple[Account, ...]
    supervisor: str | None = None


@dataclass(frozen=True, slots=True)
class RegistryFile:
    version: str
    agencies: tuple[Agency, ...]
    units: tuple[Unit, ...]
    employees: tuple[Employee, ...]


@dataclass(frozen=True)
class Registry:
    version: str
    agencies: dict[str, Agency]
    units: dict[str, Unit]
    employees: dict[str, Employee]
    by_account: dict[tuple[str, str], Employee] = field(repr=False)

    def lookup(self, platform: str, account_id: str) -> AsnRef | None:
        employee = self.by_account.get((platform, account_id))
        if employee is None:
            return None
        unit = self.units[employee.unit]
        agency = self.agencies[unit.agency]
        return AsnRef(employee.employee_id, agency.id, unit.id, agency.region)

    def supervisor_chain(self, employee_id: str) -> list[str]:
        """Direct superior first, up to the top of the agency."""
        chain: list[str] = []
        current = self.employees[employee_id].supervisor
        while current is not None and current not in chain:
            chain.append(current)
            current = self.employees[current].supervisor
        return chain


def load_registry(path: Path) -> Registry:
    raw = convert(load_yaml(path), RegistryFile, path)
    agencies = _index(raw.agencies, "id", path, "agencies")
    units = _index(raw.units, "id", path, "units")
    employees = _index(raw.employees, "employee_id", path, "employees")
    for unit in raw.units:
        _require(unit.agency in agencies, path, f"unit {unit.id}: unknown agency {unit.agency!r}")
        if unit.parent is not None:
            _require(unit.parent in units, path, f"unit {unit.id}: unknown parent {unit.parent!r}")
    for agency in raw.agencies:
        _require(agency.hr_unit in units, path, f"agency {agency.id}: unknown hr_unit")
        _require(agency.ppk in employees, path, f"agency {agency.id}: unknown ppk {agency.ppk!r}")
    by_account: dict[tuple[str, str], Employee] = {}
    for emp in raw.employees:
        _require(emp.unit in units, path, f"employee {emp.employee_id}: unknown unit {emp.unit!r}")
        if emp.supervisor is not None:
            _require(
                emp.supervisor in employees,
                path,
                f"employee {emp.employee_id}: unknown supervisor {emp.supervisor!r}",
            )
        for account in emp.accounts:
            key = (account.platform, account.account_id)
            _require(key not in by_account, path, f"account {key} listed twice")
            by_account[key] = emp
    return Registry(raw.version, agencies, units, employees, by_account)


def _index(items, key: str, path: Path, section: str):  # type: ignore[no-untyped-def]
    index = {}
    for item in items:
        value = getattr(item, key)
        _require(value not in index, path, f"{section}: duplicate {key} {value!r}")
        index[value] = item
    return index


def _require(condition: bool, path: Path, message: str) -> None:
    if not condition:
        raise InvalidReferenceData(f"{path}: {message}")
