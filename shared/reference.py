"""Loading versioned reference files (YAML) into typed data with clear, path-aware errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import msgspec
import yaml

from shared.errors import InvalidReferenceData

T = TypeVar("T")


def load_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidReferenceData(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise InvalidReferenceData(f"{path}: {where}{exc}") from None


def convert(data: Any, into: type[T], path: Path) -> T:
    """Convert parsed YAML into ``into``; errors name the file and the field path."""
    try:
        return msgspec.convert(data, into, strict=False)
    except msgspec.ValidationError as exc:
        raise InvalidReferenceData(f"{path}: {exc}") from None
