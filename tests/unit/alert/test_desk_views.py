"""The desk's JSON shapes: evidence windows stitched into one excerpt with spans that point at the
matched words, summaries, and the counts and notification history of a case detail."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

from services.alert.cases import Action, apply_action, apply_finding, mark_notified
from services.alert.desk import views
from services.alert.desk.views import case_detail, case_summary, locate, stitch_excerpts
from services.alert.outbox import Attempt
from services.alert.threshold import findings
from services.classify import core
from shared.schema.verdict import Evidence
from tests.unit.alert.factories import T0, routing, verdict

LONG = (
    "Pagi ini rapat koordinasi di kantor berjalan lancar dan semua hadir tepat waktu. "
    "Setelah itu saya bilang ke teman-teman: ayo dukung Prabowo-Gibran, jangan ragu! "
    "Sore harinya kami melanjutkan pekerjaan rutin seperti biasa tanpa ada kendala apa pun, "
    "lalu pulang. Besok pagi kita kumpul lagi untuk pilih 02 bersama-sama di TPS."
)


def evidence(text: str, word: str, rule: str = "PS-ENDORSE", field: str = "text") -> Evidence:
    start = text.index(word)
    end = start + len(word)
    return Evidence(
        "partisan_support",
        rule,
        field,
        start,
        end,
        word,
        core._excerpt(text, start, end),
        "SKB 2",
        0.8,
    )


def test_the_radius_matches_the_classifier() -> None:
    assert views.EXCERPT_RADIUS == core.EXCERPT_RADIUS


def test_a_cut_window_is_placed_at_its_offset_in_the_text() -> None:
    item = evidence(LONG, "Prabowo")
    assert item.excerpt.startswith("…") and item.excerpt.endswith("…")
    window = locate(item)
    assert window is not None
    assert LONG[window.start : window.start + len(window.text)] == window.text


def test_windows_are_stitched_and_spans_point_at_the_matches() -> None:
    found = [
        evidence(LONG, "dukung"),
        evidence(LONG, "Prabowo", "PS-PRAISE"),
        evidence(LONG, "pilih 02"),
    ]
    (stitched,) = stitch_excerpts(found)
    text = stitched["text"]
    assert stitched["field"] == "text"
    assert [text[s["start"] : s["end"]] for s in stitched["spans"]] == [
        "dukung",
        "Prabowo",
        "pilih 02",
    ]
    assert [s["rule_id"] for s in stitched["spans"]] == ["PS-ENDORSE", "PS-PRAISE", "PS-ENDORSE"]
    # text before the first window is cut, the overlapping windows are merged and the far one
    # joined with an ellipsis; the last window reaches the end of the text
    assert text.startswith("…") and text.count("…") == 2 and text.endswith("di TPS.")
    assert len(text) < len(LONG)
    for piece in text.split("…"):
        assert piece in LONG


def test_short_text_is_the_whole_excerpt() -> None:
    text = "Bismillah, sudah mantap dukung Prabowo-Gibran sampai menang!! ✌️"
    (stitched,) = stitch_excerpts([evidence(text, "dukung"), evidence(text, "Gibran")])
    assert stitched["text"] == text
    assert [(s["start"], s["end"]) for s in stitched["spans"]] == [(24, 30), (39, 45)]


def test_utf16_spans_count_astral_characters_twice() -> None:
    text = "🇮🇩 dukung 02"
    (stitched,) = stitch_excerpts([evidence(text, "dukung")])
    assert stitched["spans"][0]["start"] == 3  # code points: two regional indicators, a space
    assert stitched["spans_utf16"][0]["start"] == 5  # UTF-16 units: each indicator is a pair


def test_fields_are_stitched_apart_and_synthetic_excerpts_left_out() -> None:
    engage = Evidence(
        "contestant_engagement",
        "CE-LIKE",
        "target.account_id",
        0,
        8,
        "x-999001",
        "like on candidate account x-999001 (paslon-02)",
        "SKB 6",
        0.5,
    )
    tag = Evidence(
        "partisan_support", "PS-TAG", "hashtags[0]", 1, 8, "Prabowo", "#Prabowo", "SKB 2", 0.7
    )
    foreign = dataclasses.replace(tag, match="Ganjar")  # the match is not in its excerpt
    found = stitch_excerpts([engage, tag, foreign])
    assert [f["field"] for f in found] == ["target.account_id", "hashtags[0]"]
    assert found[1]["text"] == "#Prabowo" and found[1]["spans"][0]["start"] == 1


def test_summary_and_detail(tmp_path: Path) -> None:
    plan = routing(tmp_path)
    opened = apply_finding(None, findings(verdict(), "low")[0], "k", False, T0, plan)
    noticed = mark_notified(
        opened.case, ("ASN-0006",), ("webhook",), T0 + timedelta(minutes=1), "new"
    )
    later = T0 + timedelta(minutes=2)
    commented = apply_action(noticed.case, Action("comment", "kadisdik", "lihat"), later, plan)
    timeline = [opened.change, noticed.change, commented.change]
    attempts = [Attempt("d1", "webhook", 1, True, False, "", T0.timestamp() + 61)]
    detail = case_detail(commented.case, timeline, attempts, can_act=True)  # type: ignore[arg-type]
    assert (
        detail["employee_id"] == "ASN-0007" and detail["unit"] == "pemkab-sleman/dinas-pendidikan"
    )
    assert detail["excerpt"] == "dukung 02" and detail["spans"][0]["start"] == 0
    assert detail["counts"] == {
        "events": 1,
        "notifications": 1,
        "deliveries_failed": 0,
        "comments": 1,
        "escalations": 0,
    }
    assert detail["notified"] == [
        {
            "at": (T0 + timedelta(minutes=1)).isoformat(),
            "level": opened.case.level,
            "recipients": ["ASN-0006"],
            "channels": ["webhook"],
            "note": "new",
        }
    ]
    assert [t["action"] for t in detail["timeline"]] == ["opened", "notified", "commented"]
    assert detail["timeline"][-1]["by"] == "kadisdik"
    assert detail["deliveries"][0]["at"] == (T0 + timedelta(seconds=61)).isoformat()
    assert detail["updated_at"] == later.isoformat()
    summary = case_summary(dataclasses.replace(commented.case, asn=None))
    assert summary["employee_id"] is None and summary["updated_at"] is None
