"""Turn raw social-media text into a token stream that keeps every token's original span.

Per token: Unicode folding and lower case; elongation collapsed (``dukunggg`` -> ``dukung``);
slang expanded (``yg`` -> ``yang``); camel case and letter/digit runs split (``PrabowoGibran2024``);
gesture emoji turned into words. Against the policy's vocabulary (every word its lexicons use) it
also undoes the tricks people use on filters: spaced letters (``p r a b o w o``), dotted words
(``G.a.n.j.a.r``), digits for letters (``pr4bowo``), doubled letters (``Prabowoo``), one-letter
typos of long words, and run-together hashtags (``#prabowogibran2024``). Matching runs on the
normalised text; evidence offsets come from the original spans.

Typo repair is conservative, because Indonesian is dense in one-letter pairs (``bilang`` /
``hilang``, ``santai`` / ``bantai``, ``ngatur`` / ``ngawur``): a word is repaired only when it is
not itself an everyday word or an affixed form of one (:mod:`services.classify.everyday`) nor a
slang key, it keeps its first letter, the changed or extra letter is a neighbouring key of what
should have been typed (a slip of the finger), and exactly one lexicon word fits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import add, itemgetter

from services.classify.everyday import is_everyday

FIELD_BREAK = "|"
MIN_FUZZY_LENGTH = 6
MIN_SEGMENT = 3
CACHE_SIZE = 200_000

_GESTURES = "\u261d\u270c\U0001f44c\U0001f44d\U0001f44e\U0001f91f\U0001faf0\u270a"
_TOKEN = re.compile(
    # letters kept apart by one and the same mark throughout, so two dotted words in a row
    # ("d.u.k.u.n.g p.r.a.b.o.w.o") stay two words
    r"(?P<spaced>(?<![^\W_])[^\W\d_](?P<sep>[ .\-*])(?:[^\W\d_](?P=sep))+[^\W\d_](?![^\W_]))"
    r"|(?P<word>[^\W_]+(?:[.\-*'’_\u200b-\u200d\u2060\ufeff][^\W_]+)*)"
    r"|(?P<mark>[?!])"
    rf"|(?P<emoji>[{_GESTURES}])",
    re.UNICODE,
)
# What dataset dumps and platform exports leave in text and nobody wrote: escaped newlines and
# bytes ("\\n", "\\xf0\\x9f\\x98\\xa1"), anonymised mentions and links ("USER", "URL"), a
# retweet's "RT @name:" (never "RT 03", a neighbourhood) and HTML entities. Masked with spaces of
# the same length, so offsets into the original text stay exact.
_ARTEFACT = re.compile(
    r"(?P<bytes>(?:\\x[0-9a-fA-F]{2})+)"
    r"|\\[nrt]|\\u[0-9a-fA-F]{4}"
    r"|\bRT(?=\s*(?:@|USER\b|:))"
    r"|@?(?:(?<=\\[nrt])|\b)(?:USER|URL|HTTPURL|USERNAME)\b|[<\[](?i:user|url|username|hashtag)[>\]]"
    r"|&(?:amp|lt|gt|quot|nbsp|#\d{1,5});"
)
_ARTEFACT_MARKERS = ("\\", "USER", "URL", "RT", "&", "<", "[")
# Inside a word: marks people put between letters, and invisible ones (zero-width space, joiner
# and non-joiner, word joiner, byte-order mark) pasted in to split a name for filters.
_INNER_PUNCT = re.compile(r"[.\-*'’_ \u200b-\u200d\u2060\ufeff]")
# Cyrillic and Greek letters that look Latin ("Рrabowo" with a Cyrillic Р): no Indonesian post
# means them, and filters miss them.
_HOMOGLYPHS = str.maketrans(
    # Cyrillic
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0423\u0425"
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501"
    # Greek
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7"
    "\u03b1\u03b5\u03b9\u03ba\u03bd\u03bf\u03c1\u03c4\u03c5\u03c7",
    "ABEKMHOPCTYXaeopcyxijsdABEZHIKMNOPTYXaeikvoptux",
)
# Word boundaries inside one token: "PrabowoGibran", "AMINaja", "salam3jari".
_SPLIT = re.compile(
    r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z]{2})(?=[a-z]{2})|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])"
)
_ELONGATION = re.compile(r"(.)\1{2,}")
# "siap2", "orang2nya": the 2 repeats the word (siap-siap), except after words that take a number.
_REDUPLICATED = re.compile(r"^(?P<word>[^\W\d_]{3,})2(?P<suffix>nya|an|lah|kan|in)?$")
_NUMBERED = frozenset(
    (
        "paslon",
        "capres",
        "cawapres",
        "calon",
        "pasangan",
        "nomor",
        "nomer",
        "nmr",
        "urut",
        "dapil",
        "tps",
        "kubu",
        "tim",
        "lantai",
        "kelas",
        "jilid",
        "putaran",
        "periode",
        "tahap",
        "gelombang",
        "sesi",
        "babak",
        "pilpres",
        "pemilu",
        "salam",
        "jari",
        "pilihan",
        "jam",
        "hari",
        "minggu",
        "bulan",
        "tahun",
        "menit",
        "detik",
        "lajur",
        "ronde",
        "seri",
        "edisi",
        "part",
        "season",
        "gen",
        "level",
        "pasal",
        "ayat",
    )
)
_DOUBLES = re.compile(r"(.)\1+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})
_LEET_WORD = re.compile(r"^(?=.*[a-z])(?=.*\d)[a-z\d@]+$")
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


Part = tuple[str, int, int, bool]  # (norm, start, end, written-as-name), offsets relative
_NORM, _START, _END, _UPPER = (itemgetter(n) for n in range(4))
_BREAK: Part = (FIELD_BREAK, 0, 0, False)


class Document:
    """All scanned fields of one event as one token stream (fields separated by a break token).

    Token ``i`` is ``norms[i]``, from field ``field_of[i]`` at ``starts[i]:ends[i]`` of that
    field's original text; ``text`` is the norms joined by single spaces, padded with one.
    Internally a token is its match's cached part (offsets relative to the regex match) plus
    the match's start, so the absolute spans are only added up when asked for.
    """

    __slots__ = ("_ends", "_starts", "field_of", "fields", "norms", "offsets", "parts", "text")

    def __init__(
        self,
        fields: tuple[tuple[str, str], ...],
        parts: list[Part],
        offsets: list[int],
        field_of: list[int],
    ) -> None:
        self.fields = fields
        self.parts = parts
        self.offsets = offsets
        self.field_of = field_of
        self.norms = list(map(_NORM, parts))
        self.text = f" {' '.join(self.norms)} " if parts else " "
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = list(map(add, self.offsets, map(_START, self.parts)))
        return self._starts

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            self._ends = list(map(add, self.offsets, map(_END, self.parts)))
        return self._ends

    @property
    def uppers(self) -> list[bool]:
        return list(map(_UPPER, self.parts))

    def upper(self, index: int) -> bool:
        return self.parts[index][3]

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(map(Token, self.norms, self.field_of, self.starts, self.ends, self.uppers))

    def token_index(self, char_pos: int) -> int:
        """The token starting at ``char_pos`` of ``text`` (norms hold no spaces)."""
        return self.text.count(" ", 0, char_pos) - 1


def mask_artefacts(text: str) -> str:
    """``text`` with its artefacts blanked out; escaped UTF-8 bytes become the characters they
    encode (a gesture emoji still counts), padded to the escape's length."""
    if not any(marker in text for marker in _ARTEFACT_MARKERS):
        return text
    return _ARTEFACT.sub(_blank, text)


def _blank(match: re.Match[str]) -> str:
    raw = match.group()
    if match.lastgroup == "bytes":
        decoded = bytes(int(raw[i + 2 : i + 4], 16) for i in range(0, len(raw), 4))
        chars = decoded.decode("utf-8", errors="ignore")  # one char per 4 to 16 written
        return chars.ljust(len(raw))
    return " " * len(raw)


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.translate(_HOMOGLYPHS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


class Normalizer:
    """Tokenises fields; ``vocab`` (the lexicons' words) enables the repairs that need to know
    which words matter. Built once per policy: lookups only, no per-rule work."""

    def __init__(self, slang: Mapping[str, str], vocab: Iterable[str] = ()) -> None:
        self.slang = dict(slang)
        self.vocab = frozenset(vocab)
        self._typos = _typo_index(w for w in self.vocab if len(w) >= MIN_FUZZY_LENGTH)
        # Single vocabulary words count as roots too: "merusak" is "rusak", not "perusak".
        self._roots = frozenset(
            w for w in self.vocab if w.isalpha() and len(w) >= MIN_FUZZY_LENGTH - 1
        )
        self._longest = max((len(w) for w in self.vocab), default=0)
        self._cache: dict[tuple[str, bool], list[Part]] = {}
        self._matches: dict[tuple[str, str | None, bool, bool], tuple[Part, ...]] = {}

    def document(self, fields: Sequence[tuple[str, str]]) -> Document:
        parts: list[Part] = []
        offsets: list[int] = []
        field_of: list[int] = []
        matches = self._matches
        for field_index, (name, text) in enumerate(fields):
            if field_index and parts:
                parts.append(_BREAK)
                offsets.append(0)
            hashtag_field = name.startswith("hashtags")
            text = mask_artefacts(text)
            for match in _TOKEN.finditer(text):
                start = match.start()
                after_hash = hashtag_field or (start > 0 and text[start - 1] == "#")
                key = (match.group(), match.lastgroup, hashtag_field, after_hash)
                found = matches.get(key)
                if found is None:
                    if len(matches) > CACHE_SIZE:
                        matches.clear()
                    found = matches[key] = self._match_parts(*key)
                parts += found
                if len(found) == 1:
                    offsets.append(start)
                else:
                    offsets += [start] * len(found)
            field_of += [field_index] * (len(parts) - len(field_of))
        return Document(tuple(fields), parts, offsets, field_of)

    def _match_parts(
        self, raw: str, kind: str | None, hashtag_field: bool, after_hash: bool
    ) -> tuple[Part, ...]:
        """The tokens of one regex match, offsets relative to the match; a pure function of
        the match text and whether it sits in a hashtag, so it is cached per distinct match."""
        if kind == "emoji":
            return ((_EMOJI_WORDS[raw], 0, len(raw), False),)
        if kind == "mark":
            return ((raw, 0, len(raw), False),)
        if kind == "spaced":
            word = _INNER_PUNCT.sub("", raw)
            words = self._known(word) or self._words(word)
            return tuple((n, 0, len(raw), False) for n in words)
        joined = _INNER_PUNCT.sub("", raw)
        if joined != raw and self._known(joined) is not None:
            return tuple((n, 0, len(raw), raw.isupper()) for n in self._words(joined))
        found: list[Part] = []
        position = 0
        for number, piece in enumerate(_INNER_PUNCT.split(raw)):
            piece_start = raw.index(piece, position)
            hashtag = after_hash if number == 0 else hashtag_field
            found.extend(
                (n, piece_start + a, piece_start + b, u)
                for n, a, b, u in self._piece(piece, hashtag)
            )
            position = piece_start + len(piece)
        return tuple(found)

    def _piece(self, piece: str, hashtag: bool) -> list[Part]:
        key = (piece, hashtag)
        parts = self._cache.get(key)
        if parts is None:
            if len(self._cache) > CACHE_SIZE:
                self._cache.clear()
            parts = self._cache[key] = self._analyse(piece, hashtag)
        return parts

    def _analyse(self, piece: str, hashtag: bool) -> list[tuple[str, int, int, bool]]:
        """(norm, start, end, written-as-name) for one piece, offsets relative to the piece."""
        known = self._known(piece)
        if known is not None:
            return [(n, 0, len(piece), piece.isupper() or hashtag) for n in known]
        doubled = _REDUPLICATED.match(piece)
        if doubled and fold(doubled["word"]) not in _NUMBERED:
            word = doubled["word"]
            once = self._analyse(word, hashtag)
            again = [(n, len(word), len(word) + 1, u) for n, _, _, u in once]
            suffix = doubled["suffix"]
            rest = [(fold(suffix), len(word) + 1, len(piece), False)] if suffix else []
            return once + again + rest
        parts = _SPLIT.split(piece) if len(piece) > 3 else [piece]
        found: list[tuple[str, int, int, bool]] = []
        offset = 0
        for part in parts:
            end = offset + len(part)
            words = self._known(part) or self._words(part)
            if hashtag and part.isalpha() and part.islower() and words == [fold(part)]:
                found.extend((n, offset + a, offset + b, u) for n, a, b, u in self._segment(part))
            else:
                upper = (len(part) >= 2 and part.isupper()) or hashtag
                found.extend((n, offset, end, upper) for n in words)
            offset = end
        return found

    def _words(self, word: str) -> list[str]:
        if word in _EMOJI_WORDS:
            return [_EMOJI_WORDS[word]]
        folded = _ELONGATION.sub(r"\1", fold(word))
        return self.slang.get(folded, folded).split()

    def _known(self, word: str) -> list[str] | None:
        """The vocabulary word(s) ``word`` stands for, after repairs; None if nothing fits."""
        if not self.vocab:
            return None
        folded = fold(word)
        for candidate in _repairs(folded):
            expanded = self.slang.get(candidate, candidate)
            if expanded in self.vocab or candidate in self.vocab:
                return expanded.split()
        if (
            len(folded) >= MIN_FUZZY_LENGTH
            and folded.isalpha()
            and folded not in self.slang
            and not is_everyday(folded, self._roots)
        ):
            corrected = _one_edit(folded, self._typos, self.vocab)
            if corrected:
                return [corrected]
        return None

    def _segment(self, word: str) -> list[tuple[str, int, int, bool]]:
        """Split a run-together lowercase hashtag at vocabulary words, longest first."""
        folded = fold(word)
        found: list[tuple[str, int, int, bool]] = []
        index, pending = 0, 0
        while index < len(folded):
            longest = min(self._longest, len(folded) - index)
            length = next(
                (
                    n
                    for n in range(longest, MIN_SEGMENT - 1, -1)
                    if folded[index : index + n] in self.vocab
                ),
                0,
            )
            if length == 0:
                index += 1
                continue
            if pending < index:
                found.append((folded[pending:index], pending, index, False))
            found.append((folded[index : index + length], index, index + length, True))
            index += length
            pending = index
        if pending < len(folded):
            found.append((folded[pending:], pending, len(folded), False))
        return found


def _repairs(folded: str) -> list[str]:
    candidates = [folded, _ELONGATION.sub(r"\1", folded)]
    single = _DOUBLES.sub(r"\1", folded)
    if len(single) >= 5:  # "prabowoo" -> "prabowo", but never "saat" -> "sat"
        candidates.append(single)
    if _LEET_WORD.match(folded):
        leet = folded.translate(_LEET)
        candidates += [leet, _DOUBLES.sub(r"\1", leet)]
    return candidates


def _typo_index(words: Iterable[str]) -> dict[str, str]:
    """Every one-letter substitution pattern of each long vocabulary word -> the word.
    Patterns shared by two words are dropped: an ambiguous correction is no correction."""
    index: dict[str, str] = {}
    clashes: set[str] = set()
    for word in words:
        for i in range(len(word)):
            key = word[:i] + "?" + word[i + 1 :]
            if key in index and index[key] != word:
                clashes.add(key)
            index[key] = word
    for key in clashes:
        del index[key]
    return index


# Neighbouring keys on a QWERTY keyboard (what a slip of the finger types instead).
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, frozenset[str]] = {}
for _row, _line in enumerate(_ROWS):
    for _col, _key in enumerate(_line):
        _NEIGHBOURS[_key] = frozenset(
            _ROWS[r][c]
            for r in range(max(0, _row - 1), min(len(_ROWS), _row + 2))
            for c in (_col - 1, _col, _col + 1)
            if 0 <= c < len(_ROWS[r]) and (r, c) != (_row, _col)
        )


def _slip(typed: str, meant: str) -> bool:
    return typed in _NEIGHBOURS.get(meant, ())


def _one_edit(word: str, typos: Mapping[str, str], vocab: frozenset[str]) -> str | None:
    """The one vocabulary word a slip of the finger away: one letter replaced by a neighbouring
    key, or one extra neighbouring key pressed; never the first letter, and never one letter
    shorter (``ganja`` must not become ``ganjar``). A Betawi/Javanese final ``-e`` for ``-a``
    (``katanye``) is repaired too."""
    if word.endswith("e") and word[:-1] + "a" in vocab:
        return word[:-1] + "a"
    for i in range(1, len(word)):
        found = typos.get(word[:i] + "?" + word[i + 1 :])
        if found and _slip(word[i], found[i]):
            return found
        shorter = word[:i] + word[i + 1 :]
        if (
            len(shorter) >= MIN_FUZZY_LENGTH
            and shorter in vocab
            and (_slip(word[i], word[i - 1]) or (i + 1 < len(word) and _slip(word[i], word[i + 1])))
        ):
            return shorter
    return None


def tokenize(fields: Sequence[tuple[str, str]], slang: Mapping[str, str]) -> Document:
    """Tokenise without a vocabulary (how lexicon phrases themselves are normalised)."""
    return Normalizer(slang).document(fields)
