from pathlib import Path

import pytest

from shared.errors import InvalidReferenceData
from shared.registry import load_registry
from shared.settings import ReferenceSettings

SAMPLE = ReferenceSettings().registry


def test_sample_registry_loads_and_resolves_accounts() -> None:
    registry = load_registry(SAMPLE)
    (platform, account_id), employee = next(iter(registry.by_account.items()))
    asn = registry.lookup(platform, account_id)
    assert asn is not None and asn.employee_id == employee.employee_id
    assert registry.lookup("x", "x-not-registered") is None


def test_supervisor_chain_walks_up_to_the_top() -> None:
    registry = load_registry(SAMPLE)
    deepest = max(registry.employees, key=lambda e: len(registry.supervisor_chain(e)))
    chain = registry.supervisor_chain(deepest)
    assert len(chain) >= 2
    assert registry.employees[chain[-1]].supervisor is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "version: '1'\nagencies: []\nunits: []\nemployees: [{employee_id: A, unit: nowhere, "
            "accounts: []}]\n",
            "unknown unit",
        ),
        ("version: '1'\nagencies: []\nunits: []\n", "employees"),
        ("version: '1'\nagencies: [\n", "line"),
    ],
)
def test_invalid_registry_is_refused_with_a_reason(
    tmp_path: Path, text: str, fragment: str
) -> None:
    path = tmp_path / "registry.yaml"
    path.write_text(text)
    with pytest.raises(InvalidReferenceData) as caught:
        load_registry(path)
    assert fragment in str(caught.value) and str(path) in str(caught.value)
