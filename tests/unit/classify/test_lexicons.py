"""The pack's lexicons hold cues that mean the same thing in everyday Indonesian: a bare word
that is just as often innocent ("haram" food, "lapor" to the boss, "pas" = when, "buang
sampah") is replaced by the multi-word forms that carry the meaning."""

import pytest

from services.classify.core import classify
from services.classify.policy import Policy

from .conftest import NOW, make_event

OVER_BROAD = {
    # a SARA word next to one of these is not hostility ("jangan pilih karena agama" is the
    # neutrality message itself; "anti sara", "makanan haram", "pulang ke Jawa" = mudik)
    "hostile": {
        "haram",
        "jangan pilih",
        "anti",
        "out",
        "asing",
        "pulang ke",
        "kembali ke",
        "sampah",
    },
    "sara_target": {"pura", "golongan", "hitam", "padang", "keturunan"},  # pura-pura, PNS golongan
    "dehumanising": {"sampah", "ternak", "hina", "penyakit", "tikus"},  # buang sampah, jangan hina
    "pronoun_target": {"situ", "lho"},  # "di situ", the particle "lho"
    "insult": {"gila", "edan"},  # "gila sih keren" is praise
    "epithet": {"kampret", "dajjal", "sumbu pendek"},  # a swear word, a religious figure
    "praise": {"pas"},  # "pas Prabowo datang" = when
    "oppose_weak": {"mulutnya", "programnya", "tukang", "mk", "kw", "ganti", "awas", "budak"},
    "vote_word": {"pp"},  # PP 94/2021 is the sanctions regulation
    "threat": {"pppk", "mutasi", "dicatat", "copot", "tunggu saja"},  # mutasi pemilih, copot APK
    "consequence": {"jam ke 9", "jadwal ngajarnya", "air pam", "ikut ganti"},  # lifted from dev
    # these damp hate speech, money politics and intimidation: a threat that names reporting
    # ("yang lapor ...") or a hostile "tolak ..." must not damp itself
    "condemn": {
        "lapor",
        "tolak",
        "menolak",
        "laporkan",
        "tidak boleh",
        "dilarang",
        "sanksi",
        "report",
    },
    "victim": {"disuruh", "menolak", "nolak", "dipaksa", "terpaksa", "saya foto"},
    "news": {"antara", "detik", "narasi", "viva", "tempo", "laporan"},  # between, second, ...
    "debunk": {"editan", "diedit"},  # "C1 diedit" is the hoax
}


@pytest.mark.parametrize("lexicon", sorted(OVER_BROAD))
def test_over_broad_bare_words_are_not_cues(policy: Policy, lexicon: str) -> None:
    assert not OVER_BROAD[lexicon] & set(policy.source.lexicons[lexicon])


CLEAN = [
    "Mereka lagi buang sampah di pantai, santai aja",
    "Dia pelihara ternak kambing di kampung",
    "Jangan pilih pemimpin berdasarkan suku dan agama, pilih programnya",
    "Makanan haram bagi umat muslim, jangan dimakan",
    "Di situ ada anjing galak, hati2 lewat",
    "Ngapain sih ngatur2 pilihan orang, bilang aja santai",
    "Pura pura sibuk di kantor, golongan III/b naik pangkat tahun depan",
    # an animal word as the object of an everyday act is not dehumanising
    "Dia punya anjing lucu banget, namanya Boni",
    "Kamu suka babi guling gak? enak di Bali",
    "Muslim dilarang makan babi",
    # a place of worship is a building: only an attack on it is hostility
    "Masjid kotor, ayo kerja bakti bersihkan bareng warga",
    "Gereja di kampung kami kumuh, butuh renovasi",
    "Kemarin makan ayam bakar di depan pesantren",
]


@pytest.mark.parametrize("text", CLEAN)
def test_everyday_uses_of_once_broad_words_carry_no_label(policy: Policy, text: str) -> None:
    verdict = classify(make_event(text), policy, NOW)
    assert verdict.labels == (), verdict.scores


def test_a_mocked_neutrality_claim_is_no_reminder(policy: Policy) -> None:
    mocked = classify(make_event("Pak Ganjar sok netral, dasar penipu"), policy, NOW)
    assert "CTX-NEUTRAL-REMINDER" not in mocked.negated_by
    assert "partisan_opposition" in mocked.labels
    reminder = classify(
        make_event("ASN harus netral, jangan dukung Prabowo di medsos"), policy, NOW
    )
    assert "CTX-NEUTRAL-REMINDER" in reminder.negated_by
    assert reminder.labels == ()


def test_a_hostile_refusal_is_not_a_condemnation(policy: Policy) -> None:
    verdict = classify(make_event("Tolak aseng! usir cina dari negeri ini"), policy, NOW)
    assert "CTX-CONDEMN" not in verdict.negated_by
    assert "hate_speech" in verdict.labels


@pytest.mark.parametrize(
    "text",
    [
        "Bakar gereja mereka, usir dari kampung",
        "dasar kau anjing",
        "Mereka kayak binatang, gak punya otak",
        "Dasar cina babi, usir aja dari negeri ini",
    ],
)
def test_the_same_words_aimed_at_people_or_places_are_still_hate(policy: Policy, text: str) -> None:
    assert "hate_speech" in classify(make_event(text), policy, NOW).labels


def test_a_victims_report_naming_a_number_is_not_support(policy: Policy) -> None:
    text = "Atasan saya nyuruh pilih 02, saya nolak. Saya takut dimutasi"
    verdict = classify(make_event(text), policy, NOW)
    assert "CTX-VICTIM" in verdict.negated_by
    assert verdict.labels == (), verdict.scores
