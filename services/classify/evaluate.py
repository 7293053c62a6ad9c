"""``netral eval``: precision, recall and F1 per category of the same core the stream runs,
against gold files (events plus ``labels``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from services.classify.core import classify
from services.classify.policy import Policy
from shared import codec
from shared.errors import InvalidMessage
from shared.schema import CATEGORIES, Event


@dataclass(frozen=True, slots=True)
class GoldItem:
    event: Event
    labels: frozenset[str]
    where: str


def gold_files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.glob("*.jsonl")) if path.is_dir() else [path])
    return found


def load_gold(paths: Iterable[Path]) -> list[GoldItem]:
    """Read gold lines; a bad line raises InvalidMessage naming the file and line."""
    items: list[GoldItem] = []
    for path in gold_files(paths):
        for number, line in enumerate(path.read_bytes().splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                event = codec.decode(line, Event)
                labels = orjson.loads(line).get("labels", [])
            except InvalidMessage as exc:
                raise InvalidMessage(f"{where}: {exc}") from None
            unknown = set(labels) - set(CATEGORIES)
            if unknown:
                raise InvalidMessage(f"{where}: unknown labels {sorted(unknown)}")
            items.append(GoldItem(event, frozenset(labels), where))
    return items


def predict(items: Sequence[GoldItem], policy: Policy, now: datetime) -> list[frozenset[str]]:
    return [frozenset(classify(item.event, policy, now).labels) for item in items]


def score(gold: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]]) -> dict[str, Any]:
    """Per-category precision/recall/F1/support, micro and macro averages, and the share of
    events without gold labels that received any label (the false-positive rate)."""
    per: dict[str, dict[str, float]] = {}
    total_tp = total_fp = total_fn = 0
    for category in CATEGORIES:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if category in g and category in p)
        fp = sum(
            1 for g, p in zip(gold, predicted, strict=True) if category not in g and category in p
        )
        fn = sum(
            1 for g, p in zip(gold, predicted, strict=True) if category in g and category not in p
        )
        total_tp, total_fp, total_fn = total_tp + tp, total_fp + fp, total_fn + fn
        per[category] = _prf(tp, fp, fn) | {"support": tp + fn}
    clean = [p for g, p in zip(gold, predicted, strict=True) if not g]
    supported = [c for c in CATEGORIES if per[c]["support"]]
    macro = {
        key: sum(per[c][key] for c in supported) / len(supported) if supported else 0.0
        for key in ("precision", "recall", "f1")
    }
    return {
        "events": len(gold),
        "categories": per,
        "micro": _prf(total_tp, total_fp, total_fn),
        "macro": macro,
        "clean_events": len(clean),
        "false_positive_rate": (sum(1 for p in clean if p) / len(clean)) if clean else 0.0,
    }


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def render(result: dict[str, Any]) -> str:
    lines = [f"{'category':<24}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for category, row in result["categories"].items():
        lines.append(
            f"{category:<24}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}"
            f"{int(row['support']):>10}"
        )
    for name in ("micro", "macro"):
        row = result[name]
        lines.append(
            f"{name + ' avg':<24}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}"
        )
    lines.append(
        f"false-positive rate on {result['clean_events']} clean events: "
        f"{result['false_positive_rate']:.3f}   ({result['events']} events)"
    )
    return "\n".join(lines)
