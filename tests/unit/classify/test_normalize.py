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
        ("d.u.k.u.n.g p.r.a.b.o.w.o", ["dukung", "prabowo"]),  # one mark per word, two words
        ("d-u-k-u-n-g g*i*b*r*a*n", ["dukung", "gibran"]),
        ("Pra\u200bbowo Gib\u200dran", ["prabowo", "gibran"]),  # invisible joiners pasted in
        ("\u0420rabowo G\u0430nj\u0430r", ["prabowo", "ganjar"]),  # Cyrillic look-alikes
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


TRICKY = Normalizer({"yg": "yang"}, VOCAB | {"salam", "jari", "dua"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "🔥🔥 DUKUNGGGG p r a b o w o ✌️ yg 👍🏽!",
            [
                ("dukung", 3, 12, True),
                ("prabowo", 13, 26, False),
                ("gestur_dua_jari", 27, 28, False),
                ("yang", 30, 32, False),
                ("gestur_jempol", 33, 34, False),
                ("!", 35, 36, False),
            ],
        ),
        (
            "cek G.a.n.j.a.r, pr4bowo & Gamjar?",
            [
                ("cek", 0, 3, False),
                ("ganjar", 4, 15, False),
                ("prabowo", 17, 24, False),
                ("ganjar", 27, 33, False),
                ("?", 33, 34, False),
            ],
        ),
        (
            "Salam☝️dua jari",
            [("salam", 0, 5, False), ("gestur_satu_jari", 5, 6, False), ("dua", 7, 10, False)]
            + [("jari", 11, 15, False)],
        ),
    ],
)
def test_exact_offsets_after_emoji_elongation_and_repairs(
    text: str, expected: list[tuple[str, int, int, bool]]
) -> None:
    """Astral emoji count as one character, skin tones and variation selectors are skipped,
    and repaired words span everything that was written."""
    doc = TRICKY.document([("text", text)])
    assert [(t.norm, t.start, t.end, t.upper) for t in doc.tokens] == expected


def test_offsets_restart_in_each_field_and_hashtags_read_as_names() -> None:
    fields = [
        ("text", "ayo"),
        ("hashtags[0]", "#PrabowoGibran2024"),
        ("media[0].ocr_text", "DUKUNG ✌"),
    ]
    doc = TRICKY.document(fields)
    assert doc.text == " ayo | prabowo gibran 2024 | dukung gestur_dua_jari "
    assert [(t.norm, t.field, t.start, t.end, t.upper) for t in doc.tokens] == [
        ("ayo", 0, 0, 3, False),
        ("|", 1, 0, 0, False),
        ("prabowo", 1, 1, 8, True),
        ("gibran", 1, 8, 14, True),
        ("2024", 1, 14, 18, True),
        ("|", 2, 0, 0, False),
        ("dukung", 2, 0, 6, True),
        ("gestur_dua_jari", 2, 7, 8, False),
    ]
    assert [doc.token_index(doc.text.index(w)) for w in ("prabowo", "dukung")] == [2, 6]


def test_a_cached_analysis_is_placed_at_each_occurrence() -> None:
    text = "dukunggg, DUKUNGGG dukunggg"
    doc = TRICKY.document([("text", text)])
    assert [(text[t.start : t.end], t.upper) for t in doc.tokens] == [
        ("dukunggg", False),
        ("DUKUNGGG", True),
        ("dukunggg", False),
    ]


# Typo repair is conservative: an everyday word is what the writer meant.
EVERYDAY_VOCAB = VOCAB | {
    "ngatain", "ngawur", "hilang", "jangan", "bantai", "sampah", "dengar", "tampang", "pending",
    "sidang", "bangsa", "kepala", "tanggung", "katanya", "kalian", "menang", "ternak", "anjing",
    "darahnya", "kecurangan", "dicurangi", "perusak", "pembawa", "tunggu", "ganteng", "berita",
    "bahaya", "nyindir", "pemimpin", "kosong", "mereka", "sesama", "tenang",
}  # fmt: skip
EVERYDAY = Normalizer({}, EVERYDAY_VOCAB)


@pytest.mark.parametrize(
    "word",
    [
        "ngapain", "ngatur", "bilang", "mending", "dengan", "gampang", "tangan", "nunggu", "bidang",
        "bangga", "kepada", "panggung", "datanya", "selama", "banteng", "kasian", "kajian",
        "memang", "cerita", "teriak", "sumpah", "santai", "pantai", "lantai", "enjing", "sorangan",
        "daerahnya", "kekurangan", "dikurangi", "merusak", "membawa", "memimpin", "nyinyir",
        "rumahku", "anakku", "pemuda", "berangkat", "menangis", "diserahkan", "tentang", "terang",
        "dimintai", "sedang", "kodong", "tegang", "temukan", "usulkan",
        # affixed forms of everyday roots
        "ngatainnya", "dibilangin", "kebanggaan", "nungguin", "ceritanya", "dipegang", "ngatur2",
    ],
)  # fmt: skip
def test_everyday_words_are_never_repaired(word: str) -> None:
    norms = [t.norm for t in EVERYDAY.document([("text", word)]).tokens]
    assert norms[0] == word.rstrip("2"), norms


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Gamjar", "ganjar"),  # m for n: neighbouring keys
        ("prabiwo", "prabowo"),  # i for o
        ("serabgan", "serangan"),  # b for n
        ("ngawue", "ngawur"),  # e for r
        ("gibrab", "gibran"),
        ("dukunng", "dukung"),  # doubled letter
        ("ganjsar", "ganjar"),  # one extra neighbouring key
        ("katanye", "katanya"),  # Betawi final -e
        ("merek", "merek"),  # too short to repair
    ],
)
def test_slips_of_the_finger_on_lexicon_words_are_repaired(typed: str, meant: str) -> None:
    assert [t.norm for t in EVERYDAY.document([("text", typed)]).tokens] == [meant]


@pytest.mark.parametrize(
    "typed",
    [
        "Hanjar",  # the first letter is what the writer typed
        "prabawo",  # a for o: not neighbouring keys
        "dukunk",  # two words could fit, or none: no guess
        "ganjarx",  # an extra key far from its neighbours
    ],
)
def test_unlikely_slips_are_left_alone(typed: str) -> None:
    assert [t.norm for t in EVERYDAY.document([("text", typed)]).tokens] == [typed.lower()]


def test_the_shipped_pack_leaves_everyday_words_alone(policy) -> None:  # type: ignore[no-untyped-def]
    text = "ngapain sih ngatur kayak gitu, bilang aja santai di pantai, sumpah dengan tangan kosong"
    norms = [t.norm for t in policy.normalizer.document([("text", text)]).tokens]
    assert norms == [
        "ngapain", "sih", "ngatur", "kayak", "gitu", "bilang", "aja", "santai", "di", "pantai",
        "sumpah", "dengan", "tangan", "kosong",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("siap2 aja", ["siap", "siap", "aja"]),
        ("orang2nya", ["orang", "orang", "nya"]),
        ("kata2 manis", ["kata", "kata", "manis"]),
        # A word that takes a number keeps it: the 2 is a ballot or district number.
        ("paslon2 menang", ["paslon", "2", "menang"]),
        ("dapil2", ["dapil", "2"]),
    ],
)
def test_a_trailing_2_repeats_the_word_unless_the_word_takes_a_number(
    text: str, expected: list[str]
) -> None:
    assert [t.norm for t in tokenize([("text", text)], {}).tokens] == expected


def test_a_repeated_word_points_at_the_2_that_repeats_it() -> None:
    text = "siap2 lo"
    tokens = tokenize([("text", text)], {}).tokens
    assert [text[t.start : t.end] for t in tokens] == ["siap", "2", "lo"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"RT USER: pilih yg bener\n\nURL", ["pilih", "yang", "bener"]),
        ("RT @budi_01: pilih", ["budi", "01", "pilih"]),
        ("warga RT 03 kumpul", ["warga", "rt", "03", "kumpul"]),
        ("kamu &amp; aku <user> [URL]", ["kamu", "aku"]),
        (
            r"salam dua jari \xe2\x9c\x8c\xef\xb8\x8f mantap",
            ["salam", "dua", "jari", "gestur_dua_jari", "mantap"],
        ),
        (r"rusak \xf0\x9f", ["rusak"]),
    ],
)
def test_dataset_and_export_artefacts_are_not_read_as_words(text: str, expected: list[str]) -> None:
    slang = {"yg": "yang"}
    assert [t.norm for t in tokenize([("text", text)], slang).tokens] == expected


def test_masked_artefacts_keep_offsets_into_the_original_text() -> None:
    text = r"RT USER: ayo\npilih \xe2\x98\x9d nomor 1 URL"
    doc = tokenize([("text", text)], {})
    assert [text[t.start : t.end] for t in doc.tokens] == ["ayo", "pilih", "\\", "nomor", "1"]
    assert doc.tokens[2].norm == "gestur_satu_jari"
