"""Multi-pattern phrase matching over a normalised token stream, with Aho-Corasick.

Every phrase of every lexicon goes into one automaton, so the cost per event follows the text
length and the number of hits, not the number of phrases or rules. Phrases are padded with spaces
so they only match whole tokens.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from services.classify.normalize import FIELD_BREAK, Document, tokenize


class Hit(NamedTuple):
    lexicon: str
    first: int
    last: int


# Built in C, without the named tuple's Python-level __new__ (ten or so hits per event).
_new_hit = functools.partial(tuple.__new__, Hit)


@dataclass(frozen=True, slots=True)
class _Pattern:
    lexicons: tuple[str, ...]
    length: int
    ambiguous: bool


class PhraseMatcher:
    def __init__(self, automaton: ahocorasick.Automaton, vocab: frozenset[str]) -> None:
        self.automaton = automaton
        self.vocab = vocab

    @classmethod
    def build(
        cls,
        lexicons: Mapping[str, Iterable[str]],
        slang: Mapping[str, str],
        ambiguous: frozenset[str],
    ) -> PhraseMatcher:
        """``ambiguous`` single words (``gelora``, ``amin``) count only when written in capitals
        or after ``partai``: as ordinary words they mean something else."""
        by_phrase: dict[str, set[str]] = {}
        for lexicon, phrases in lexicons.items():
            for phrase in phrases:
                norm = tokenize([("phrase", phrase)], slang).text.strip()
                if norm and FIELD_BREAK not in norm.split():
                    by_phrase.setdefault(norm, set()).add(lexicon)
        automaton = ahocorasick.Automaton()
        for norm, names in by_phrase.items():
            length = norm.count(" ") + 1
            pattern = _Pattern(tuple(sorted(names)), length, length == 1 and norm in ambiguous)
            automaton.add_word(f" {norm} ", pattern)
        if by_phrase:
            automaton.make_automaton()
        vocab = frozenset(word for norm in by_phrase for word in norm.split())
        return cls(automaton, vocab)

    def find(self, doc: Document) -> dict[str, list[Hit]]:
        """Every phrase hit, by lexicon, lexicons in the order of their first hit."""
        hits: dict[str, list[Hit]] = {}
        if not doc.norms or self.automaton.kind != ahocorasick.AHOCORASICK:
            return hits
        text = doc.text
        for end, pattern in self.automaton.iter(text):
            # ``end`` is the index of the phrase's trailing space; one space precedes each
            # token, so the spaces before it count the tokens up to its last.
            last = text.count(" ", 0, end) - 1
            first = last - pattern.length + 1
            if pattern.ambiguous and not _written_as_name(doc, first):
                continue
            for lexicon in pattern.lexicons:
                hit = _new_hit((lexicon, first, last))
                found = hits.get(lexicon)
                if found is None:
                    hits[lexicon] = [hit]
                else:
                    found.append(hit)
        return hits


def add_person_names(
    doc: Document, hits: dict[str, list[Hit]], name: str, after: str, exclude: str | None
) -> None:
    """Hits of ``name`` for words written with a capital right after a hit of ``after``
    ("Bang Rizal", "bu Sri"), except where a hit of ``exclude`` or another honorific starts
    ("Pak RT", "Bapak Ibu"). Each hit spans the honorific and the name, so the evidence shows
    both."""
    honorifics = hits.get(after)
    if not honorifics:
        return
    excluded = {hit.first for hit in (*honorifics, *(hits.get(exclude, ()) if exclude else ()))}
    norms, field_of, fields = doc.norms, doc.field_of, doc.fields
    found = []
    for hit in honorifics:
        index = hit.last + 1
        if (
            index < len(norms)
            and index not in excluded
            and field_of[index] == field_of[hit.last]
            and norms[index].isalpha()
        ):
            start = doc.starts[index]
            if fields[field_of[index]][1][start : start + 1].isupper():
                found.append(_new_hit((name, hit.first, index)))
    if found:
        hits[name] = found


def _written_as_name(doc: Document, index: int) -> bool:
    return doc.upper(index) or (index > 0 and doc.norms[index - 1] == "partai")
