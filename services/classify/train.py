"""``netral train``: fit the linear model from a labelled set the project ships (our own
writing, under ``tests/data/dev``). Deterministic: the same data, policy and versions give the
same file. Never trained on public labelled datasets: those are evaluation material."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

import numpy as np

from services.classify.core import classify, content_fields
from services.classify.evaluate import GoldItem
from services.classify.everyday import is_everyday
from services.classify.model import CategoryModel, CompiledModel, LinearModel, features
from services.classify.normalize import fold as fold_word
from services.classify.policy import Policy
from shared.schema import CATEGORIES

CANDIDATE_PLACEHOLDER = "_calon_"
PARTY_PLACEHOLDER = "_partai_"
TEAM_KINDS = frozenset({"campaign_team", "volunteer_group", "youth_wing"})
# Honorifics and group words that come with names but are no name themselves.
NOT_NAMES = frozenset(
    {"cak", "partai", "tim", "relawan", "kang", "mas", "bang", "gus", "bu", "pak", "mbak", "teh"}
)

# Engagement is decided by the interaction and the watch-list alone, never by words.
MODEL_CATEGORIES = tuple(c for c in CATEGORIES if c != "contestant_engagement")


def train(
    items: Sequence[GoldItem],
    policy: Policy,
    *,
    min_df: int = 3,
    l2: float = 3e-3,
    iterations: int = 200,
    learning_rate: float = 0.05,
    keep: float = 1e-3,
) -> LinearModel:
    """One-vs-rest logistic regression with L2 and balanced classes, fitted with Adam from zero
    (so the result does not depend on a random seed)."""
    aliases = name_aliases(policy)
    docs = [
        sorted({f for f, _, _ in features(policy.normalizer.document(content_fields(e)), aliases)})
        for e in (i.event for i in items)
    ]
    frequency = Counter(f for doc in docs for f in doc)
    vocabulary = sorted(f for f, n in frequency.items() if n >= min_df)
    column = {f: n for n, f in enumerate(vocabulary)}
    matrix = np.zeros((len(docs), len(vocabulary)), dtype=np.float32)
    for row, doc in enumerate(docs):
        for feature in doc:
            if feature in column:
                matrix[row, column[feature]] = 1.0
    categories: dict[str, CategoryModel] = {}
    for category in MODEL_CATEGORIES:
        labels = np.array([category in i.labels for i in items], dtype=np.float32)
        if labels.sum() == 0:
            continue
        weights, bias = _fit(matrix, labels, l2, iterations, learning_rate)
        kept = {vocabulary[n]: round(float(w), 4) for n, w in enumerate(weights) if abs(w) >= keep}
        categories[category] = CategoryModel(round(float(bias), 4), kept)
    return LinearModel(
        version=f"linear-{policy.source.version}-{len(items)}",
        trained_on=f"{len(items)} events",
        categories=categories,
        aliases=aliases,
    )


def name_aliases(policy: Policy) -> dict[str, str]:
    """The watch-list's contestant and party names, word by word, mapped to one placeholder per
    kind, so that no name carries a stance of its own in the model. Words that are also
    ambiguous names, everyday words or too short to be a name keep their own features."""
    kind_of = {entry.id: entry.kind for entry in policy.watchlist.entries}
    not_names = NOT_NAMES | {fold_word(name) for name in policy.source.ambiguous_names}
    aliases: dict[str, str] = {}
    for name, entry_id in sorted(policy.entry_of_name.items()):
        kind = kind_of.get(entry_id)
        words = name.split()
        if kind in TEAM_KINDS or (kind == "party" and len(words) > 1):
            # Team names repeat the candidates' names; a party's long name is everyday words.
            continue
        placeholder = PARTY_PLACEHOLDER if kind == "party" else CANDIDATE_PLACEHOLDER
        for word in words:
            if len(word) >= 3 and word not in not_names and not is_everyday(word):
                aliases.setdefault(word, placeholder)
    return aliases


def _fit(
    matrix: np.ndarray, labels: np.ndarray, l2: float, iterations: int, rate: float
) -> tuple[np.ndarray, float]:
    positives = float(labels.sum())
    negatives = float(len(labels) - positives)
    sample_weight = np.where(
        labels > 0, len(labels) / (2 * positives), len(labels) / (2 * negatives)
    )
    sample_weight = sample_weight.astype(np.float32) / len(labels)
    weights = np.zeros(matrix.shape[1], dtype=np.float32)
    bias = 0.0
    first = np.zeros_like(weights)
    second = np.zeros_like(weights)
    first_b = second_b = 0.0
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, iterations + 1):
        scores = matrix @ weights + np.float32(bias)
        predicted = 1.0 / (1.0 + np.exp(-np.clip(scores, -30, 30)))
        error = (predicted - labels) * sample_weight
        gradient = matrix.T @ error.astype(np.float32) + np.float32(l2) * weights
        gradient_b = float(error.sum())
        first = beta1 * first + (1 - beta1) * gradient
        second = beta2 * second + (1 - beta2) * gradient**2
        first_b = beta1 * first_b + (1 - beta1) * gradient_b
        second_b = beta2 * second_b + (1 - beta2) * gradient_b**2
        correction1, correction2 = 1 - beta1**step, 1 - beta2**step
        weights -= rate * (first / correction1) / (np.sqrt(second / correction2) + eps)
        bias -= rate * (first_b / correction1) / (np.sqrt(second_b / correction2) + eps)
    return weights, bias


def cross_validate(
    items: Sequence[GoldItem], policy: Policy, now: datetime, folds: int = 5
) -> list[frozenset[str]]:
    """Labels for every item from a model that never saw it: item ``i`` falls in fold
    ``i % folds``; each fold is scored by the rules plus a model trained on the other folds
    (same features and settings as ``netral train``). Returns predictions in item order."""
    if folds < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    bare = dataclasses.replace(policy, model=None)
    predicted: list[frozenset[str]] = [frozenset()] * len(items)
    for fold in range(folds):
        held = [i for i in range(len(items)) if i % folds == fold]
        rest = [item for i, item in enumerate(items) if i % folds != fold]
        fitted = dataclasses.replace(policy, model=CompiledModel(train(rest, bare)))
        for i in held:
            predicted[i] = frozenset(classify(items[i].event, fitted, now).labels)
    return predicted
