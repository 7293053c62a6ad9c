"""Desk users: who may sign in, with which role, and their password hashes (a reference file).

Passwords are stored as ``scrypt$<n>$<r>$<p>$<salt>$<hash>`` (base64url, no padding). The hash is
compared in constant time, and an unknown username is checked against a dummy hash, so a failed
login takes as long whichever part was wrong.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from msgspec import Meta

from shared.errors import InvalidReferenceData
from shared.reference import convert, load_yaml
from shared.registry import Registry

Role = Literal["supervisor", "operations", "administrator"]
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
Username = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]


@dataclass(frozen=True, slots=True)
class DeskUser:
    username: Username
    role: Role
    password: str
    display_name: str = ""
    employee_id: str | None = None


@dataclass(frozen=True, slots=True)
class UsersFile:
    version: str
    users: tuple[DeskUser, ...]


@dataclass(frozen=True)
class Users:
    version: str
    by_name: dict[str, DeskUser]


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        expected = _unb64(digest)
        actual = _scrypt(password, _unb64(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def fingerprint(user: DeskUser) -> str:
    """Changes when the user's role, employee or password changes: sessions carry it, so such a
    change ends the sessions issued before it."""
    identity = f"{user.role}|{user.employee_id}|{user.password}"
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def check_login(users: Users, username: str, password: str) -> DeskUser | None:
    """The user if the password matches; the same work is done for an unknown username."""
    user = users.by_name.get(username)
    ok = verify_password(password, user.password if user else _dummy_hash())
    return user if ok and user is not None else None


def load_users(path: Path, registry: Registry | None = None) -> Users:
    """Read and check the users file; supervisors must name an employee of the org registry."""
    raw = convert(load_yaml(path), UsersFile, path)
    by_name: dict[str, DeskUser] = {}
    for user in raw.users:
        where = f"{path}: user {user.username}"
        if user.username in by_name:
            raise InvalidReferenceData(f"{where}: listed twice")
        if not user.password.startswith("scrypt$") or user.password.count("$") != 5:
            raise InvalidReferenceData(f"{where}: password must be a hash from netral desk passwd")
        if user.role == "supervisor":
            if not user.employee_id:
                raise InvalidReferenceData(f"{where}: a supervisor needs an employee_id")
            if registry is not None and user.employee_id not in registry.employees:
                raise InvalidReferenceData(
                    f"{where}: employee {user.employee_id!r} is not in the registry"
                )
        by_name[user.username] = user
    return Users(raw.version, by_name)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def add_user(
    path: Path,
    username: str,
    role: str,
    password: str,
    employee_id: str | None = None,
    display_name: str = "",
    registry: Registry | None = None,
) -> DeskUser:
    """Append a user to the users file (created if missing), keeping its comments; the file is
    checked afterwards and left as it was when the result would not load."""
    before = path.read_text(encoding="utf-8") if path.exists() else None
    text = before if before is not None else 'version: "1"\nusers:\n'
    if before is not None and username in load_users(path).by_name:
        raise InvalidReferenceData(f"{path}: user {username} already exists")
    entry = [f"  - username: {_yaml(username)}", f"    role: {_yaml(role)}"]
    if employee_id:
        entry.append(f"    employee_id: {_yaml(employee_id)}")
    if display_name:
        entry.append(f"    display_name: {_yaml(display_name)}")
    entry.append(f"    password: {_yaml(hash_password(password))}")
    path.write_text(text.rstrip("\n") + "\n" + "\n".join(entry) + "\n", encoding="utf-8")
    try:
        return load_users(path, registry).by_name[username]
    except InvalidReferenceData:
        if before is None:
            path.unlink()
        else:
            path.write_text(before, encoding="utf-8")
        raise


def _yaml(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar
