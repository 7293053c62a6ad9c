"""A small linear model beside the rules: one logistic regression per category over the words,
word pairs and character n-grams of the normalised token stream.

It exists for what lexicons miss (paraphrase, regional wording, implicit support), and it keeps
the classifier's contract: every probability it contributes comes with evidence, the tokens whose
weights pushed it up. Inference is dictionary look-ups, no I/O, no numpy. Training lives in
:mod:`services.classify.train` and runs only from ``netral train``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from services.classify.normalize import FIELD_BREAK, Document
from shared.errors import InvalidReferenceData
from shared.reference import convert

CHAR_NGRAMS = (4, 5)
MIN_TOKEN_FOR_CHARS = 4


@dataclass(frozen=True, slots=True)
class CategoryModel:
    bias: float
    weights: dict[str, float]


@dataclass(frozen=True, slots=True)
class LinearModel:
    version: str
    trained_on: str
    categories: dict[str, CategoryModel]


@dataclass(frozen=True, slots=True)
class Contribution:
    probability: float
    tokens: tuple[tuple[int, int, float], ...]  # (first token, last token, weight), strongest first


def load_model(path: Path) -> LinearModel:
    try:
        raw = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise InvalidReferenceData(f"{path}: cannot read model: {exc}") from None
    return convert(raw, LinearModel, path)


def features(doc: Document) -> Iterator[tuple[str, int, int]]:
    """(feature, first token, last token) for every feature occurrence in the document."""
    words = [
        (i, t.norm)
        for i, t in enumerate(doc.tokens)
        if t.norm != FIELD_BREAK and (t.norm.isalnum() or "_" in t.norm)
    ]
    previous: tuple[int, str] | None = None
    for index, word in words:
        yield f"w:{word}", index, index
        if previous is not None and doc.tokens[previous[0]].field == doc.tokens[index].field:
            yield f"b:{previous[1]} {word}", previous[0], index
        previous = (index, word)
        if len(word) >= MIN_TOKEN_FOR_CHARS and word.isalpha():
            padded = f"<{word}>"
            for n in CHAR_NGRAMS:
                for start in range(len(padded) - n + 1):
                    yield f"c:{padded[start : start + n]}", index, index


def predict(model: LinearModel, doc: Document) -> dict[str, Contribution]:
    occurrences = list(features(doc))
    seen = {feature for feature, _, _ in occurrences}
    found: dict[str, Contribution] = {}
    for category, weights in model.categories.items():
        total = weights.bias + sum(weights.weights.get(f, 0.0) for f in seen)
        probability = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))
        by_token: dict[tuple[int, int], float] = {}
        counted: set[str] = set()
        for feature, first, last in occurrences:
            weight = weights.weights.get(feature, 0.0)
            if weight > 0 and feature not in counted:
                counted.add(feature)
                span = (first, last)
                by_token[span] = by_token.get(span, 0.0) + weight
        strongest = sorted(by_token.items(), key=lambda item: -item[1])
        found[category] = Contribution(probability, tuple((a, b, w) for (a, b), w in strongest))
    return found
