"""The dedup key: one open case per key. Pure."""

from __future__ import annotations

import hashlib

from services.alert.route import Dedup, seconds
from services.alert.threshold import Finding


def dedup_key(finding: Finding, dedup: Dedup) -> str:
    """Built from the configured parts (default: account + category + contestant), plus the
    time bucket of the event when one is configured, so an old case does not absorb a new
    election's events."""
    verdict = finding.verdict
    parts = {
        "account_id": verdict.account_id,
        "category": finding.category,
        "contestant": verdict.contestants[0] if verdict.contestants else "",
        "unit": verdict.event.asn.unit if verdict.event.asn else "",
    }
    key = "|".join(parts[name] for name in dedup.by)
    if dedup.bucket is not None:
        bucket = int(verdict.event.created_at.timestamp() // seconds(dedup.bucket))
        key += f"|b{bucket}"
    return key


def stable_id(*parts: str) -> str:
    """A deterministic id, so a replayed verdict yields the same case and change ids."""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()
