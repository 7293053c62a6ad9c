"""Desk users: scrypt hashes checked in constant time, the users file validated against the org
registry, and users added without losing the file's comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.alert.desk.users import (
    add_user,
    check_login,
    hash_password,
    load_users,
    verify_password,
)
from shared.errors import InvalidReferenceData
from shared.registry import load_registry
from shared.settings import DEPLOY_CONFIG

REGISTRY = load_registry(DEPLOY_CONFIG / "registry.sample.yaml")
SHIPPED = DEPLOY_CONFIG.parent / "demo" / "desk-users.yaml"


def test_hash_and_verify() -> None:
    encoded = hash_password("rahasia-sekali")
    assert encoded.startswith("scrypt$16384$8$1$")
    assert verify_password("rahasia-sekali", encoded)
    assert not verify_password("rahasia-sekal", encoded)
    assert hash_password("rahasia-sekali") != encoded  # a fresh salt each time
    assert not verify_password("x", "md5$abc") and not verify_password("x", "garbage")


def test_the_shipped_demo_users_load_and_their_documented_passwords_work() -> None:
    users = load_users(SHIPPED, REGISTRY)
    roles = {u.username: u.role for u in users.by_name.values()}
    assert roles["ops"] == "operations" and roles["admin"] == "administrator"
    assert roles["kadisdik-sleman"] == "supervisor"
    for name in ("ops", "admin", "kadisdik-sleman"):
        user = check_login(users, name, f"demo-{name}")
        assert user is not None and user.username == name
    assert check_login(users, "ops", "demo-admin") is None
    assert check_login(users, "nobody", "demo-nobody") is None


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{username: s, role: supervisor, password: HASH}", "username"),  # too short
        ("{username: sup, role: supervisor, password: HASH}", "needs an employee_id"),
        ("{username: sup, role: supervisor, employee_id: ASN-9, password: HASH}", "not in the"),
        ("{username: op, role: operations, password: plain}", "netral desk passwd"),
        ("{username: op, role: boss, password: HASH}", "role"),
    ],
)
def test_bad_users_files_are_refused(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "users.yaml"
    path.write_text(
        f'version: "1"\nusers:\n  - {entry.replace("HASH", repr(hash_password("pw")))}\n'
    )
    with pytest.raises(InvalidReferenceData, match=message):
        load_users(path, REGISTRY)


def test_a_username_listed_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    line = f"  - {{username: op, role: operations, password: '{hash_password('pw')}'}}\n"
    path.write_text('version: "1"\nusers:\n' + line + line)
    with pytest.raises(InvalidReferenceData, match="twice"):
        load_users(path)


def test_add_user_keeps_comments_and_refuses_what_would_not_load(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    add_user(path, "ops", "operations", "pw-ops-123")
    path.write_text("# our users\n" + path.read_text())
    added = add_user(path, "kabid", "supervisor", "pw-kabid-1", "ASN-0007", "Kabid", REGISTRY)
    assert added.employee_id == "ASN-0007" and added.display_name == "Kabid"
    assert path.read_text().startswith("# our users\n")
    assert check_login(load_users(path), "kabid", "pw-kabid-1") is not None
    before = path.read_text()
    with pytest.raises(InvalidReferenceData, match="already exists"):
        add_user(path, "ops", "operations", "pw")
    with pytest.raises(InvalidReferenceData, match="not in the registry"):
        add_user(path, "ghost", "supervisor", "pw", "ASN-9999", registry=REGISTRY)
    assert path.read_text() == before


def test_a_users_file_that_appears_later_is_picked_up(tmp_path: Path) -> None:
    # An optional Kubernetes Secret may be created after the pod starts: no crash, no users,
    # then the reload watch loads the file once it is there.
    from prometheus_client import CollectorRegistry

    from services.alert.main import desk_users
    from shared.settings import AlertSettings

    path = tmp_path / "desk" / "users.yaml"
    users = desk_users(AlertSettings(desk_users=path), lambda: REGISTRY, CollectorRegistry())
    assert users.current.by_name == {}
    path.parent.mkdir()
    path.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    assert users.reload_if_changed()
    assert users.current.by_name["ops"].role == "operations"
