"""``netral replay FILE.jsonl``: feed a file through the same pipeline as the HTTP API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from services.ingest.pipeline import Ingestor, ItemResult

BATCH = 500


def read_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield (line number, parsed JSON or the raw error text) for every non-blank line."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield number, orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    yield number, _Malformed(f"malformed JSON: {exc}")


class _Malformed(str):
    pass


async def replay(ingestor: Ingestor, path: Path) -> tuple[Counter[str], list[str]]:
    """Return counts by status and one message per rejected line (``line N: reason``)."""
    counts: Counter[str] = Counter()
    problems: list[str] = []
    batch: list[tuple[int, Any]] = []

    async def flush() -> None:
        results = await ingestor.submit([item for _, item in batch], source="replay")
        for (number, _), result in zip(batch, results, strict=True):
            _record(counts, problems, number, result)
        batch.clear()

    for number, item in read_lines(path):
        if isinstance(item, _Malformed):
            counts["rejected"] += 1
            problems.append(f"line {number}: {item}")
            continue
        batch.append((number, item))
        if len(batch) >= BATCH:
            await flush()
    if batch:
        await flush()
    return counts, problems


def _record(counts: Counter[str], problems: list[str], number: int, result: ItemResult) -> None:
    counts[result.status] += 1
    if result.status in ("rejected", "unavailable"):
        problems.append(f"line {number}: {result.reason}")
