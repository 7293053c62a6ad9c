"""Turn raw social-media text into a token stream that keeps every token's original span.

Normalisation per token: Unicode folding, lower case, elongation collapsed (``dukunggg`` ->
``dukung``), slang expanded (``yg`` -> ``yang``), camel-case and letter/digit runs split
(``#AMINajaDulu`` -> ``amin aja dulu`` is left to the lexicon; ``Salam3Jari`` -> ``salam 3 jari``),
gesture emoji turned into words. Matching runs on the normalised text; evidence offsets come from
the original spans, so a supervisor sees exactly what was written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

FIELD_BREAK = "|"

_TOKEN = re.compile(
    r"[^\W_]+(?:['’][^\W_]+)?|[?!]|[\u261D\u270C\U0001F44C\U0001F44D\U0001F44E\U0001F91F\U0001FAF0\u270A]",
    re.UNICODE,
)
# Word boundaries inside one token: "PrabowoGibran", "AMINaja", "salam3jari".
_SPLIT = re.compile(
    r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z]{2})(?=[a-z]{2})|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])"
)
_ELONGATION = re.compile(r"(.)\1{2,}")
_EMOJI_WORDS = {
    "\u261d": "gestur_satu_jari",
    "\u270c": "gestur_dua_jari",
    "\U0001f44c": "gestur_ok",
    "\U0001f44d": "gestur_jempol",
    "\U0001f44e": "gestur_jempol_bawah",
    "\U0001f91f": "gestur_metal",
    "\U0001faf0": "gestur_finger_heart",
    "\u270a": "gestur_kepal",
}


@dataclass(frozen=True, slots=True)
class Token:
    norm: str
    field: int
    start: int
    end: int
    upper: bool


@dataclass(frozen=True, slots=True)
class Document:
    """All scanned fields of one event as one token stream (fields separated by a break token)."""

    fields: tuple[tuple[str, str], ...]
    tokens: tuple[Token, ...]
    text: str
    token_at: Mapping[int, int]

    def token_index(self, char_pos: int) -> int:
        return self.token_at[char_pos]


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _normalise_word(word: str, slang: Mapping[str, str]) -> list[str]:
    if word in _EMOJI_WORDS:
        return [_EMOJI_WORDS[word]]
    folded = _ELONGATION.sub(r"\1", fold(word))
    expanded = slang.get(folded, folded)
    return expanded.split()


def tokenize(fields: Sequence[tuple[str, str]], slang: Mapping[str, str]) -> Document:
    tokens: list[Token] = []
    for field_index, (_, text) in enumerate(fields):
        if field_index and tokens:
            tokens.append(Token(FIELD_BREAK, field_index, 0, 0, False))
        for match in _TOKEN.finditer(text):
            word = match.group()
            start = match.start()
            for part in _SPLIT.split(word) if len(word) > 3 else (word,):
                end = start + len(part)
                upper = len(part) >= 2 and part.isupper()
                for norm in _normalise_word(part, slang):
                    tokens.append(Token(norm, field_index, start, end, upper))
                start = end
    pieces: list[str] = [" "]
    token_at: dict[int, int] = {}
    position = 1
    for index, token in enumerate(tokens):
        token_at[position] = index
        pieces.append(token.norm)
        pieces.append(" ")
        position += len(token.norm) + 1
    return Document(tuple(fields), tuple(tokens), "".join(pieces), token_at)
