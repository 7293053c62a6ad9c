"""Offline tools on the same pure core the stream uses: ``netral score``."""

from __future__ import annotations

import sys
from pathlib import Path

from services.classify.core import classify
from services.classify.policy import load_policy
from services.classify.watchlist import load_watchlist
from shared import codec
from shared.clock import utc_now
from shared.errors import InvalidMessage, InvalidReferenceData
from shared.schema import Event


def score_file(source: Path, target: Path, policy_path: Path, watchlist_path: Path) -> int:
    """One verdict per input line, in order. A line that is not a valid event stops the run with
    its line number, so no output silently misses an input."""
    try:
        policy = load_policy(policy_path, load_watchlist(watchlist_path))
    except InvalidReferenceData as exc:
        print(f"netral score: {exc}", file=sys.stderr)
        return 2
    if not source.exists():
        print(f"netral score: {source}: no such file", file=sys.stderr)
        return 2
    now = utc_now()
    written = 0
    with source.open("rb") as lines, target.open("wb") as out:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                event = codec.decode(line, Event)
            except InvalidMessage as exc:
                print(f"netral score: {source}:{number}: {exc}", file=sys.stderr)
                return 1
            out.write(codec.encode(classify(event, policy, now)) + b"\n")
            written += 1
    print(
        f"netral score: {written} verdicts written to {target} (policy {policy.version})",
        file=sys.stderr,
    )
    return 0
