import pytest

from services.classify.normalize import tokenize


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
