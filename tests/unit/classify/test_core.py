"""The pure classifier on hand-written Indonesian posts (our own writing), violations and hard
negatives alike, plus the properties every verdict must have."""

from datetime import UTC, datetime

import numpy as np
import pytest

from services.classify.core import Pending, _match_claims, classify, content_fields
from services.classify.model import predict
from services.classify.policy import Policy
from shared.schema import CATEGORIES, Media

from .conftest import NOW, make_event

POSTS = [
    # (text, expected labels)
    ("Bismillah mantap dukung Prabowo-Gibran sampai menang ✌️", {"partisan_support"}),
    ("Pokoknya 14 Feb coblos Ganjar Mahfud, gak ada yg lain!", {"partisan_support"}),
    ("Abah Anies presidenku, yakin menang 1 putaran ☝️", {"partisan_support"}),
    ("Jgn pilih Anies, pembohong! inget jakarta", {"partisan_opposition"}),
    ("Ane udh jd tim sukses Ganjar di kecamatan, siap kerja", {"campaign_involvement"}),
    ("Tadi hadir deklarasi relawan Prabowo di GOR, rame bgt", {"campaign_involvement"}),
    ("Besok pagi serangan fajar 100rb/org, asal coblos 02 ya", {"money_politics"}),
    ("Staf yg gak pilih 01 siap2 dimutasi awal tahun", {"intimidation"}),
    ("Hati2, surat suara sudah dicoblos duluan di gudang!", {"hoax"}),
    ("Dasar cina babi, usir aja dari negeri ini", {"hate_speech"}),
    # hard negatives
    ("Selamat pagi, cuaca cerah di Sleman. Semangat kerja!", set()),
    ("ASN wajib netral! Dilarang like dan share postingan capres ya rekan2", set()),
    ("KPU: paslon nomor urut 1 Anies-Muhaimin, 2 Prabowo-Gibran, 3 Ganjar-Mahfud", set()),
    ("Anak saya ulang tahun ke-2 hari ini, terima kasih doanya", set()),
    ("HOAKS! Surat suara sudah dicoblos itu tidak benar, cek klarifikasi KPU", set()),
    ("Tolak serangan fajar! Laporkan politik uang ke Bawaslu", set()),
    ("Apakah benar ada TPS siluman di kampung sebelah?", set()),
    ("Jangan golput, ayo ke TPS 14 Februari. Pilih sesuai hati nurani", set()),
    ("Aamiin ya Allah, semoga lancar ujian anak-anak", set()),
    ("Kemarin ikut apel siaga pengawasan pemilu bersama Bawaslu", set()),
    # "lanjutkan" and slogans are everyday words until a contestant or vote cue joins them
    ("Semangat kerjanya pak, lanjutkan! Jalan desa udah mulus", set()),
    ("Mantap bang, lanjutkan perjuangan buat anak yatim", set()),
    # a contestant left unnamed on purpose: reporting pressure, not taking a side
    ("Ada yg nyuruh kades menangin salah satu paslon, sy suruh lapor aja", set()),
    # a ballot-like number in a contest, a queue or a menu
    ("Voting lomba foto antar bidang, pilih nomor 2 ya punya bagian umum 😁", set()),
    ("Menu makan siang rapat: pilih paket 1 atau 2, kirim ke sy sebelum jam 10", set()),
]


@pytest.mark.parametrize(
    "text",
    [
        "Basudara, jang pilih calon nomor 2, dia cuma tukang janji",  # Ambon: jang = jangan
        "Ulun kada mau milih paslon 1, kada amanah",  # Banjar: kada = tidak
    ],
)
def test_a_regional_negation_is_no_vote_call(policy: Policy, text: str) -> None:
    assert "partisan_support" not in classify(make_event(text), policy, NOW).labels


def test_a_named_contestant_still_counts_beside_contest_words(policy: Policy) -> None:
    verdict = classify(make_event("Sy dukung 01 Anies, juara lomba debat kemarin!"), policy, NOW)
    assert "partisan_support" in verdict.labels


@pytest.mark.parametrize(("text", "expected"), POSTS, ids=[p[0][:30] for p in POSTS])
def test_posts(policy: Policy, text: str, expected: set[str]) -> None:
    """Violations carry their category (others may join: vote buying for a named pair is also
    support); hard negatives carry nothing at all."""
    verdict = classify(make_event(text), policy, NOW)
    if expected:
        assert expected <= set(verdict.labels), verdict.scores
    else:
        assert verdict.labels == (), verdict.scores


def test_every_label_has_evidence_with_exact_spans(policy: Policy) -> None:
    text = "Yuk dukunggg Prabowo sampai menang! #PrabowoGibran2024"
    event = make_event(text.split(" #")[0], hashtags=("PrabowoGibran2024",))
    verdict = classify(event, policy, NOW)
    assert verdict.labels
    for label in verdict.labels:
        found = [e for e in verdict.evidence if e.category == label]
        assert found, label
        for evidence in found:
            source = event.text if evidence.field == "text" else "#PrabowoGibran2024"
            assert source[evidence.start : evidence.end] == evidence.match
            assert evidence.enforces and evidence.rule_id


def test_scores_cover_every_category_within_bounds(policy: Policy) -> None:
    verdict = classify(make_event("halo"), policy, NOW)
    assert set(verdict.scores) == set(CATEGORIES)
    assert all(0.0 <= s <= 1.0 for s in verdict.scores.values())
    assert verdict.policy_version.startswith("neutrality-2024")
    assert verdict.severity == "none"


@pytest.mark.parametrize("kind", ["like", "follow", "share", "comment", "join_group"])
def test_engagement_with_watchlisted_account(policy: Policy, kind: str) -> None:
    platform, target = ("facebook", "fbg-9400101") if kind == "join_group" else ("x", "x-9000201")
    event = make_event(kind=kind, target=target, platform=platform)
    verdict = classify(event, policy, NOW)
    assert "contestant_engagement" in verdict.labels
    assert verdict.label_severity["contestant_engagement"] == "low"
    evidence = next(e for e in verdict.evidence if e.category == "contestant_engagement")
    assert evidence.field == "target.account_id" and evidence.match == target


def test_engagement_with_unlisted_or_namesake_account_is_clean(policy: Policy) -> None:
    event = make_event(kind="like", target="x-prabowo-fans-unofficial")
    assert classify(event, policy, NOW).labels == ()


def test_engagement_outside_the_watchlist_window_is_not_labelled(policy: Policy) -> None:
    early = datetime(2022, 6, 1, tzinfo=UTC)
    verdict = classify(make_event(kind="like", target="x-9000201", created_at=early), policy, NOW)
    assert verdict.labels == () and "outside-watchlist-window" in verdict.negated_by


def test_endorsing_comment_raises_engagement_severity(policy: Policy) -> None:
    event = make_event("Mantap pak, dukung Prabowo terus!", kind="comment", target="x-9000201")
    verdict = classify(event, policy, NOW)
    assert {"contestant_engagement", "partisan_support"} <= set(verdict.labels)
    assert verdict.label_severity["contestant_engagement"] == "medium"


def test_text_in_images_is_read(policy: Policy) -> None:
    media = (Media("image", ocr_text="COBLOS GANJAR MAHFUD 14 FEBRUARI"),)
    verdict = classify(make_event("Semangat pagi!", media=media), policy, NOW)
    assert "partisan_support" in verdict.labels
    assert any(e.field == "media[0].ocr_text" for e in verdict.evidence)


def test_phase_comes_from_the_calendar(policy: Policy) -> None:
    quiet = make_event("halo", created_at=datetime(2024, 2, 12, 3, 0, tzinfo=UTC))
    assert classify(quiet, policy, NOW).phase == "quiet"


@pytest.mark.parametrize(
    "text",
    [
        "Sebarkan!! 7 kontainer surat suara udah dicoblos nyampe di Tanjung Priok",
        "di priok ada kontener isinya kertas suara yg sudah tercoblos, tujuh biji katanya",
    ],
)
def test_registered_hoax_claims_survive_paraphrase_and_reordering(
    policy: Policy, text: str
) -> None:
    verdict = classify(make_event(text), policy, NOW)
    assert "hoax" in verdict.labels
    assert any(e.rule_id == "HX-2019-KONTAINER" for e in verdict.evidence)


def test_every_registered_claim_fires_on_its_own_terms_and_names_a_source(
    policy: Policy,
) -> None:
    """The registry's contract, claim by claim: the first wording of ``min_groups`` of its
    groups is enough (contexts such as a news outlet's name may still damp the score later)."""
    silent = []
    for claim in policy.claims.values():
        text = " ".join(group[0] for group in claim.terms[: claim.min_groups])
        fields = content_fields(make_event(text))
        doc = policy.normalizer.document(fields)
        weights: dict[str, list[float]] = {}
        evidence: dict[str, list[Pending]] = {}
        _match_claims(policy, policy.matcher.find(doc), doc, fields, weights, evidence)
        if claim.id not in {e[0] for e in evidence.get("hoax", []) if isinstance(e, tuple)}:
            silent.append(claim.id)
        assert any(source.startswith(("http://", "https://")) for source in claim.sources), claim.id
    assert len(policy.claims) >= 100
    assert silent == []


def test_a_debunk_of_a_registered_claim_is_clean(policy: Policy) -> None:
    text = "[HOAKS] Kabar 7 kontainer surat suara sudah dicoblos di Tanjung Priok tidak benar"
    assert classify(make_event(text), policy, NOW).labels == ()


def test_evidence_offsets_count_emoji_and_span_repaired_words(policy: Policy) -> None:
    text = "🔥🔥🔥 Ayo d u k u n g Prabowooo sampai menanggg ✌️"
    verdict = classify(make_event(text), policy, NOW)
    assert "partisan_support" in verdict.labels
    spans = {(e.field, e.start, e.end, e.match) for e in verdict.evidence}
    assert {("text", 8, 19, "d u k u n g"), ("text", 20, 29, "Prabowooo")} <= spans
    assert all(text[e.start : e.end] == e.match for e in verdict.evidence if e.field == "text")


def test_evidence_in_a_hashtag_points_into_the_hashtag(policy: Policy) -> None:
    event = make_event("Coblos G.a.n.j.a.r 👍🏽", hashtags=("GanjarMahfud3",))
    verdict = classify(event, policy, NOW)
    assert ("text", 7, 18, "G.a.n.j.a.r") in {
        (e.field, e.start, e.end, e.match) for e in verdict.evidence
    }
    for evidence in verdict.evidence:
        source = event.text if evidence.field == "text" else "#GanjarMahfud3"
        assert source[evidence.start : evidence.end] == evidence.match


def _reference_predict(
    policy: Policy, text: str
) -> list[tuple[float, tuple[tuple[int, int, float], ...]]]:
    """The model as first written: one matrix sum over the set of feature ids, and per category
    each span's positive weights for the features it is first to carry."""
    model = policy.model
    assert model is not None
    spans = model.spans(policy.normalizer.document([("text", text)]))
    seen: set[int] = set()
    for ids, *_ in spans:
        seen.update(ids)
    totals = model.biases + (model.weights[list(seen)].sum(axis=0) if seen else 0.0)
    probabilities = 1.0 / (1.0 + np.exp(-np.clip(totals, -30.0, 30.0)))
    found = []
    for number in range(len(model.categories)):
        column = model.weights[:, number]
        by_token: dict[tuple[int, int], float] = {}
        counted: set[int] = set()
        for ids, _, first, last in spans:
            fresh = [i for i in ids if i not in counted]
            counted.update(fresh)
            weight = float(sum(w for w in column[fresh] if w > 0)) if fresh else 0.0
            if weight > 0:
                by_token[(first, last)] = by_token.get((first, last), 0.0) + weight
        ranked = sorted(by_token.items(), key=lambda item: -item[1])
        found.append((float(probabilities[number]), tuple((a, b, w) for (a, b), w in ranked)))
    return found


@pytest.mark.parametrize("text", [p[0] for p in POSTS], ids=[p[0][:30] for p in POSTS])
def test_the_model_sums_floats_in_the_matrix_order(policy: Policy, text: str) -> None:
    """Probabilities and evidence weights go out with every verdict, so they must not move by
    a last bit: the fast path has to add the same floats in the same order."""
    assert policy.model is not None
    doc = policy.normalizer.document([("text", text)])
    fast = [(c.probability, c.tokens) for c in predict(policy.model, doc).values()]
    assert fast == _reference_predict(policy, text)


REPORTED = [
    "Dia bilang 'dasar cina babi' ke tetangganya. Astaga.",
    "Jangan sebut mereka kadrun, mereka saudara kita",
    'Tetangga nulis "usir cina dari sini" di grup RT, ngeri',
    "Kok tega ya ada yang ngatain ibu itu “kafir laknat” cuma karena beda pilihan",
]
USED = [
    "Dasar cina babi, usir aja dari negeri ini",
    "dasar 'kadrun' semua",  # one word in single quotes is a scare quote: still used
    "Mereka bilang kita kadrun? dasar cebong busuk",  # the second slur is the author's own
]


@pytest.mark.parametrize("text", REPORTED)
def test_a_quoted_or_reported_slur_is_damped(policy: Policy, text: str) -> None:
    verdict = classify(make_event(text), policy, NOW)
    assert "hate_speech" not in verdict.labels, verdict.scores
    assert "CTX-REPORTED-SPEECH" in verdict.negated_by


@pytest.mark.parametrize("text", USED)
def test_a_slur_used_outside_a_quote_is_still_hate_speech(policy: Policy, text: str) -> None:
    verdict = classify(make_event(text), policy, NOW)
    assert "hate_speech" in verdict.labels, verdict.scores
    assert "CTX-REPORTED-SPEECH" not in verdict.negated_by
    for evidence in verdict.evidence:
        assert text[evidence.start : evidence.end] == evidence.match


RULE_POSTS = [
    # (text, category, rule id that must be among its evidence)
    ("cak imin psikopat, lompat sana sini", "hate_speech", "HS-INSULT-CONTESTANT"),
    (
        "Ganjar ngomong di rapat tertutup 'PNS gak usah sholat jumat'. Rekamannya udah dihapus",
        "hoax",
        "HX-FAKE-QUOTE",
    ),
    (
        "Guru yg masih dukung Anies, jam ngajarnya kita tinjau ulang semester depan",
        "intimidation",
        "IN-CONDITIONAL-CONTESTANT",
    ),
    (
        "Pegawai yg tidak pasang twibbon 01 tunjangannya ditahan bulan depan",
        "intimidation",
        "IN-CONDITIONAL-NUMBER",
    ),
    (
        "SURAT EDARAN BKN terbaru: ASN wajib memilih paslon yang didukung pemerintah",
        "hoax",
        "HX-FAKE-DIRECTIVE",
    ),
    (
        "Pengumuman resmi KPU: pemilih yg tidak bawa KTP asli suaranya tidak sah",
        "hoax",
        "HX-FAKE-DIRECTIVE",
    ),
    (
        "tahun ini bisa coblos lewat aplikasi dr rumah, daftar di link bio",
        "hoax",
        "HX-REMOTE-VOTING",
    ),
]

# A real circular, a debunk of a fake one, and a denial of remote voting: no hoax.
OFFICIAL_BUT_TRUE = [
    "Surat edaran BKN: ASN wajib netral, pelanggaran dikenai sanksi disiplin",
    "HOAKS: tidak ada surat edaran KPU yang mewajibkan memilih paslon tertentu",
    "KPU: tidak ada coblos online, datang langsung ke TPS tanggal 14",
]


@pytest.mark.parametrize("text", OFFICIAL_BUT_TRUE)
def test_real_notices_and_denials_of_fake_ones_are_not_hoaxes(policy: Policy, text: str) -> None:
    assert "hoax" not in classify(make_event(text), policy, NOW).labels


@pytest.mark.parametrize(
    ("text", "category", "rule_id"), RULE_POSTS, ids=[p[2] for p in RULE_POSTS]
)
def test_the_rule_that_carries_a_label_is_named(
    policy: Policy, text: str, category: str, rule_id: str
) -> None:
    verdict = classify(make_event(text), policy, NOW)
    assert category in verdict.labels, verdict.scores
    assert rule_id in {e.rule_id for e in verdict.evidence if e.category == category}


@pytest.mark.parametrize(
    "text",
    [
        "Prabowo kunjungi peternak sapi di Boyolali pagi ini",
        "Rahasia pilihan kalian dijamin undang-undang, ayo ke TPS",
        "Anies bahas program fogging nyamuk DBD di debat semalam",
    ],
)
def test_everyday_words_beside_a_name_are_not_insults(policy: Policy, text: str) -> None:
    assert classify(make_event(text), policy, NOW).labels == ()


def test_a_question_that_also_urges_spreading_is_not_asking(policy: Policy) -> None:
    asked = classify(
        make_event("Surat suara sudah dicoblos di gudang, bener gak sih?"), policy, NOW
    )
    urged = classify(
        make_event("Surat suara sudah dicoblos di gudang, bener gak sih? SEBARKAN!!"), policy, NOW
    )
    assert "hoax" not in asked.labels and "CTX-QUESTION" in asked.negated_by
    assert "hoax" in urged.labels and "CTX-QUESTION" not in urged.negated_by


def test_a_debunk_word_after_a_negation_does_not_debunk(policy: Policy) -> None:
    verdict = classify(
        make_event("Ribuan surat suara tercoblos ketemu di gudang. Ini fakta, bukan hoax!"),
        policy,
        NOW,
    )
    assert "hoax" in verdict.labels and "CTX-DEBUNK" not in verdict.negated_by


SWAPPED = [
    "Ayo dukung {} sampai menang!",
    "jgn pilih {}, janji doang dari dulu",
    "td ikut rapat relawan {} di posko kecamatan",
    "{} itu antek asing, jangan sampai berkuasa",
]
PAIRS = ["Prabowo Gibran", "Anies Muhaimin", "Ganjar Mahfud"]


@pytest.mark.parametrize("template", SWAPPED)
def test_the_model_reads_no_stance_into_which_contestant_is_named(
    policy: Policy, template: str
) -> None:
    """Contestant names reach the model as one placeholder, so the same words about any pair
    get the same probabilities: a supervisor must never see a score that depends on whom."""
    assert policy.model is not None
    assert policy.model.model.aliases, "the shipped model was trained without name aliases"
    scored = []
    for pair in PAIRS:
        doc = policy.normalizer.document([("text", template.format(pair))])
        scored.append([c.probability for c in predict(policy.model, doc).values()])
    assert scored[0] == scored[1] == scored[2]


@pytest.mark.parametrize(
    "text",
    [
        "Semua staf harus lapor ke saya pilih siapa, yg gak pilih 02 siap2 dimutasi",
        "Staf yg gak pilih 01 siap2 dimutasi, itu termasuk honorer",
    ],
)
def test_a_threat_worded_like_a_question_or_a_report_is_still_intimidation(
    policy: Policy, text: str
) -> None:
    """Question and report cues damp intimidation, so they must be phrases that ask or report,
    not words a threat uses too ("harus lapor", "itu termasuk")."""
    assert "intimidation" in classify(make_event(text), policy, NOW).labels


# Local candidates and caleg are on no watch-list: a capitalised word after an honorific is
# taken as a name, for vote calls only. (text, labels wanted, labels unwanted, name evidence)
NAMED_PERSON_POSTS = [
    ("Bang Rizal lah. Coblos Bang Rizal kawan! 🙌", {"partisan_support"}, set(), "Bang Rizal"),
    ("Coblos 1 kawan, jangan sampai salah!", {"partisan_support"}, set(), None),
    ("Jangan pilih Pak Harjo, janjinya palsu", {"partisan_opposition"}, set(), "Pak Harjo"),
    # the same shape, not a contestant: an office, a colleague, a negated call
    ("Selamat ulang tahun Pak Budi, semoga sehat selalu 🎂", set(), {"partisan_support"}, None),
    ("Tadi rapat RT, kita pilih Pak RT baru bulan depan", set(), {"partisan_support"}, None),
    ("jangan coblos Bang Rizal ya, pilih sesuai hati nurani", set(), {"partisan_support"}, None),
]


@pytest.mark.parametrize(
    ("text", "wanted", "unwanted", "name"),
    NAMED_PERSON_POSTS,
    ids=[p[0][:30] for p in NAMED_PERSON_POSTS],
)
def test_vote_calls_on_names_no_list_holds(
    policy: Policy, text: str, wanted: set[str], unwanted: set[str], name: str | None
) -> None:
    verdict = classify(make_event(text), policy, NOW)
    assert wanted <= set(verdict.labels), verdict.scores
    assert not unwanted & set(verdict.labels), verdict.scores
    named = [e for e in verdict.evidence if e.rule_id in {"PS-VOTE-NAMED", "PO-AGAINST-NAMED"}]
    assert (name in [e.match for e in named]) if name else not named, named
    assert all(text[e.start : e.end] == e.match for e in named)
