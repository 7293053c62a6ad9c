import pytest

from services.classify.normalize import Normalizer, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dukunggg BANGET", ["dukung", "banget"]),
        ("yg gk mau", ["yang", "tidak", "mau"]),
        ("#PrabowoGibran2024", ["prabowo", "gibran", "2024"]),
        ("#AMINajaDulu", ["amin", "aja", "dulu"]),
        ("Salam3Jari ☝️", ["salam", "3", "jari", "gestur_satu_jari"]),
        ("Pemilu café", ["pemilu", "cafe"]),
    ],
)
def test_tokens_are_normalised(text: str, expected: list[str]) -> None:
    slang = {"yg": "yang", "gk": "tidak"}
    assert [t.norm for t in tokenize([("text", text)], slang).tokens] == expected


def test_spans_point_into_the_original_text() -> None:
    text = "Ayo DUKUNGGG #PrabowoGibran!"
    doc = tokenize([("text", text)], {})
    assert [text[t.start : t.end] for t in doc.tokens] == [
        "Ayo",
        "DUKUNGGG",
        "Prabowo",
        "Gibran",
        "!",
    ]
    assert doc.tokens[1].upper


def test_fields_are_separated() -> None:
    doc = tokenize([("text", "pilih"), ("hashtags[0]", "#anies")], {})
    assert doc.text == " pilih | anies "
    assert doc.tokens[-1].field == 1


VOCAB = {"prabowo", "gibran", "ganjar", "serangan", "fajar", "dukung", "sat", "set", "amin"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("p r a b o w o", ["prabowo"]),
        ("G.a.n.j.a.r", ["ganjar"]),
        ("pr4bowo", ["prabowo"]),
        ("Prabowoo", ["prabowo"]),
        ("Gamjar", ["ganjar"]),
        ("ganja", ["ganja"]),  # one letter shorter is another word, not a typo
        ("saat", ["saat"]),
        ("s3rangan f4jar", ["serangan", "fajar"]),
        ("#prabowogibran2024", ["prabowo", "gibran", "2024"]),
        ("no.2", ["no", "2"]),
    ],
)
def test_filter_evasions_are_undone_against_the_vocabulary(text: str, expected: list[str]) -> None:
    normalizer = Normalizer({}, VOCAB)
    assert [t.norm for t in normalizer.document([("text", text)]).tokens] == expected


def test_repaired_tokens_keep_original_spans() -> None:
    text = "ayo d u k u n g #prabowogibran"
    doc = Normalizer({}, VOCAB).document([("text", text)])
    spans = {t.norm: text[t.start : t.end] for t in doc.tokens}
    assert spans == {
        "ayo": "ayo",
        "dukung": "d u k u n g",
        "prabowo": "prabowo",
        "gibran": "gibran",
    }
    assert all(t.upper for t in doc.tokens if t.norm in {"prabowo", "gibran"})


def test_segmented_hashtag_parts_keep_their_offsets() -> None:
    text = "#aniessalam1jari"
    doc = Normalizer({}, {"anies", "salam", "jari"}).document([("text", text)])
    assert [(t.norm, text[t.start : t.end]) for t in doc.tokens] == [
        ("anies", "anies"),
        ("salam", "salam"),
        ("1", "1"),
        ("jari", "jari"),
    ]
