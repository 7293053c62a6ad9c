"""The watch-list with the lists it includes: the Pemilu's national list and the Pilkada's
regional pairs, each election with its own window, phases and verdicts."""

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from services.classify.core import classify
from services.classify.watchlist import load_watchlist
from shared.errors import InvalidReferenceData
from shared.schema import Target
from shared.settings import ReferenceSettings

from .conftest import make_event

REF = ReferenceSettings()


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T03:00:00+00:00")


def test_the_shipped_list_includes_the_pilkada_pairs() -> None:
    watchlist = load_watchlist(REF.watchlist)
    assert watchlist.files == (REF.watchlist, REF.watchlist.parent / "watchlist-pilkada-2024.yaml")
    assert watchlist.version == "pemilu-2024.1+pilkada-2024.1"
    assert {e.election for e in watchlist.entries} == {"pemilu-2024", "pilkada-2024"}


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        ("2024-02-14", "voting"),  # the Pemilu
        ("2024-10-01", "campaign"),  # the Pilkada's campaign, not the Pemilu's "post"
        ("2024-11-27", "voting"),  # the Pilkada
        ("2025-01-05", ""),
    ],
)
def test_the_phase_is_the_one_that_started_last(day: str, phase: str) -> None:
    assert load_watchlist(REF.watchlist).phase(at(day)) == phase


def test_engagement_counts_within_its_own_elections_window(policy) -> None:  # type: ignore[no-untyped-def]
    pilkada_like = make_event(
        kind="like", platform="tiktok", target=Target("tt-9500701"), created_at=at("2024-11-20")
    )
    verdict = classify(pilkada_like, policy, at("2024-11-20"))
    assert verdict.labels == ("contestant_engagement",)
    assert verdict.election_id == "pilkada-2024"
    assert verdict.contestants[0] == "jabar-04"

    # The Pemilu list's window closed on 20 Oct 2024; the Pilkada's is open: a like on a
    # presidential pair's account then is outside its window.
    pemilu_like = make_event(kind="like", target=Target("x-9000101"), created_at=at("2024-11-20"))
    late = classify(pemilu_like, policy, at("2024-11-20"))
    assert late.labels == () and "outside-watchlist-window" in late.negated_by
    assert classify(pemilu_like, policy, at("2024-11-20")).election_id == "pemilu-2024"


def test_regional_names_read_as_contestants_and_common_words_do_not(policy) -> None:  # type: ignore[no-untyped-def]
    named = classify(
        make_event("Jabar butuh Kang Dedi Mulyadi, gas pol 27 Nov!"), policy, at("2024-11-01")
    )
    assert "jabar-04" in named.contestants and named.election_id == "pilkada-2024"
    everyday = classify(
        make_event("Dharma Wanita kantor kami pengajian akbar, Allahu Akbar, lanjut yasinan"),
        policy,
        at("2024-11-01"),
    )
    assert everyday.contestants == () and everyday.labels == ()


def _write(tmp_path: Path, name: str, body: dict) -> Path:  # type: ignore[type-arg]
    path = tmp_path / name
    path.write_text(yaml.safe_dump(body))
    return path


def _entry(entry_id: str, account: str) -> dict:  # type: ignore[type-arg]
    return {
        "id": entry_id,
        "names": [entry_id],
        "accounts": [{"platform": "x", "account_id": account}],
    }


@pytest.mark.parametrize(
    ("included", "fragment"),
    [
        ({"version": "b", "election_id": "a", "contestants": []}, "is the including list's"),
        ({"version": "b", "election_id": "b", "includes": ["c.yaml"]}, "one level only"),
        ({"version": "b", "election_id": "b", "contestants": [_entry("one", "x-2")]}, "also in"),
        ({"version": "b", "election_id": "b", "contestants": [_entry("two", "x-1")]}, "x:x-1"),
    ],
)
def test_bad_includes_are_refused_with_the_file(tmp_path: Path, included, fragment: str) -> None:  # type: ignore[no-untyped-def]
    main = _write(
        tmp_path,
        "main.yaml",
        {
            "version": "a",
            "election_id": "a",
            "includes": ["b.yaml"],
            "contestants": [_entry("one", "x-1")],
        },
    )
    _write(tmp_path, "b.yaml", included)
    with pytest.raises(InvalidReferenceData) as caught:
        load_watchlist(main)
    assert fragment in str(caught.value)
    assert "b.yaml" in str(caught.value)
