"""The dedup key: one open case per key. Pure."""

from __future__ import annotations

import hashlib


def dedup_key(account_id: str, category: str) -> str:
    """One case per account and category while it is open (repeats raise its count)."""
    return f"{account_id}|{category}"


def stable_id(*parts: str) -> str:
    """A deterministic id, so a replayed verdict yields the same case and change ids."""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()
