"""A small linear model beside the rules: one logistic regression per category over the words,
word pairs and character n-grams of the normalised token stream.

It exists for what lexicons miss (paraphrase, regional wording, implicit support), and it keeps
the classifier's contract: every probability it contributes comes with evidence, the tokens whose
weights pushed it up. Inference is a set of feature ids and one matrix sum; no I/O. Training
lives in :mod:`services.classify.train` and runs only from ``netral train``.
"""

from __future__ import annotations

import functools
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path

import numpy as np
import orjson

from services.classify.normalize import FIELD_BREAK, Document
from shared.errors import InvalidReferenceData
from shared.reference import convert

CHAR_NGRAMS = (4, 5)
MIN_TOKEN_FOR_CHARS = 4
WORD_CACHE_SIZE = 100_000
_NO_PAIRS: dict[str, int] = {}
_NO_ALIASES: dict[str, str] = {}
_IDS = itemgetter(0)
_Features = tuple[tuple[int, ...], tuple[float, ...]]  # feature ids, positive sum per category
Span = tuple[tuple[int, ...], tuple[float, ...], int, int]  # ... and first, last token


@dataclass(frozen=True, slots=True)
class CategoryModel:
    bias: float
    weights: dict[str, float]


@dataclass(frozen=True, slots=True)
class LinearModel:
    version: str
    trained_on: str
    categories: dict[str, CategoryModel]
    # Word -> placeholder, applied before features in training and scoring alike: contestant and
    # party names become one token each, so the model learns what is said about *a* contestant,
    # never a stance from *which* one is named.
    aliases: dict[str, str] = field(default_factory=dict)


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


def features(
    doc: Document, aliases: Mapping[str, str] = _NO_ALIASES
) -> Iterator[tuple[str, int, int]]:
    """(feature, first token, last token) for every feature occurrence in the document."""
    previous: tuple[int, str] | None = None
    for index, word in enumerate(doc.norms):
        word = aliases.get(word, word)
        if not _is_word(word):
            continue
        for feature in _word_features(word):
            yield feature, index, index
        if previous is not None and doc.field_of[previous[0]] == doc.field_of[index]:
            yield f"b:{previous[1]} {word}", previous[0], index
        previous = (index, word)


def _is_word(norm: str) -> bool:
    return norm != FIELD_BREAK and (norm.isalnum() or "_" in norm)


@functools.lru_cache(maxsize=100_000)
def _word_features(word: str) -> tuple[str, ...]:
    found = [f"w:{word}"]
    if len(word) >= MIN_TOKEN_FOR_CHARS and word.isalpha():
        padded = f"<{word}>"
        for n in CHAR_NGRAMS:
            found.extend(f"c:{padded[start : start + n]}" for start in range(len(padded) - n + 1))
    return tuple(found)


class CompiledModel:
    """The model as a weight matrix (feature x category) with an id per feature, so scoring an
    event is a set of feature ids and one matrix sum, whatever the number of categories."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        self.version = model.version
        self.categories = tuple(model.categories)
        self.biases = np.array([m.bias for m in model.categories.values()], dtype=np.float64)
        names = sorted({f for m in model.categories.values() for f in m.weights})
        self.ids = {name: number for number, name in enumerate(names)}
        self.weights = np.zeros((len(names), len(self.categories)), dtype=np.float64)
        for column, category in enumerate(self.categories):
            for feature, weight in model.categories[category].weights.items():
                self.weights[self.ids[feature], column] = weight
        self.columns = tuple(self.weights[:, n].tolist() for n in range(len(self.categories)))
        self._pairs: dict[str, dict[str, int]] = {}
        for name, number in self.ids.items():
            left, space, right = name[2:].partition(" ")
            if name.startswith("b:") and space:
                self._pairs.setdefault(left, {})[right] = number
        self._words: dict[str, _Features | None] = {}
        self._pair_features: dict[int, _Features] = {}

    def _features_of(self, ids: tuple[int, ...]) -> _Features:
        """The ids and, per category, their positive weights summed in order (what a span adds
        to the evidence when none of its features was counted before)."""
        positive = []
        for column in self.columns:
            total = 0.0
            for i in ids:
                if (w := column[i]) > 0:
                    total += w
            positive.append(total)
        return ids, tuple(positive)

    def _of_word(self, word: str) -> _Features | None:
        if not _is_word(word):
            return None  # a mark or a field break
        ids = tuple(i for f in _word_features(word) if (i := self.ids.get(f)) is not None)
        return self._features_of(ids)

    def spans(self, doc: Document) -> list[Span]:
        """(feature ids, first token, last token, positive sums) per word and per word pair."""
        found: list[Span] = []
        words, pairs, field_of = self._words, self._pairs, doc.field_of
        aliases = self.model.aliases
        previous = -1
        previous_pairs: dict[str, int] | None = None
        for index, word in enumerate(doc.norms):
            word = aliases.get(word, word)
            if word in words:
                features = words[word]
            else:
                if len(words) > WORD_CACHE_SIZE:
                    words.clear()
                features = words[word] = self._of_word(word)
            if features is None:
                continue
            found.append((*features, index, index))
            if previous_pairs is not None and field_of[previous] == field_of[index]:
                pair = previous_pairs.get(word)
                if pair is not None:
                    found.append((*self._pair(pair), previous, index))
            previous, previous_pairs = index, pairs.get(word, _NO_PAIRS)
        return found

    def _pair(self, pair: int) -> _Features:
        features = self._pair_features.get(pair)
        if features is None:
            features = self._pair_features[pair] = self._features_of((pair,))
        return features

    def probabilities(self, spans: list[Span]) -> list[float]:
        # Built in one go, in the same insertion order as span by span (so the same set order).
        seen = set(chain.from_iterable(map(_IDS, spans)))
        totals = self.biases
        if seen:
            # The rows in the set's order, summed down one after another (what the matrix sum
            # does): the float result depends on that order.
            rows = self.weights.take(np.fromiter(seen, dtype=np.intp, count=len(seen)), axis=0)
            totals = totals + np.add.accumulate(rows, axis=0)[-1]
        clipped = [-min(max(total, -30.0), 30.0) for total in totals.tolist()]
        return [1.0 / (1.0 + e) for e in np.exp(np.array(clipped)).tolist()]


def predict(
    compiled: CompiledModel,
    doc: Document,
    min_probability: float = 0.0,
    explain: Container[str] | None = None,
) -> dict[str, Contribution]:
    """Probabilities per category; token contributions only for categories at or above
    ``min_probability`` and in ``explain`` when given (the others are returned with none)."""
    spans = compiled.spans(doc)
    probabilities = compiled.probabilities(spans)
    found: dict[str, Contribution] = {}
    for number, category in enumerate(compiled.categories):
        probability = probabilities[number]
        tokens: tuple[tuple[int, int, float], ...] = ()
        if probability >= min_probability and (explain is None or category in explain):
            tokens = _contributions(compiled.columns[number], number, spans)
        found[category] = Contribution(probability, tokens)
    return found


def _contributions(
    column: list[float], number: int, spans: list[Span]
) -> tuple[tuple[int, int, float], ...]:
    """Each span's positive weights, a feature counted at its first span only (but as often as
    it occurs there), summed left to right so the floats match the matrix's."""
    by_token: dict[tuple[int, int], float] = {}
    counted: set[int] = set()
    for ids, positive, first, last in spans:
        if counted.isdisjoint(ids):
            weight = positive[number]
            counted.update(ids)
        else:
            fresh = [i for i in ids if i not in counted]
            counted.update(fresh)
            weight = 0.0
            for i in fresh:
                if (w := column[i]) > 0:
                    weight += w
        if weight > 0:
            by_token[(first, last)] = by_token.get((first, last), 0.0) + weight
    strongest = sorted(by_token.items(), key=lambda item: -item[1])
    return tuple((a, b, w) for (a, b), w in strongest)
