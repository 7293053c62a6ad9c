import dataclasses
from datetime import timedelta
from pathlib import Path

from services.alert.cases import apply_finding
from services.alert.dedup import dedup_key
from services.alert.silence import Silence, expired_unannounced, inhibited_by, silenced_by
from services.alert.threshold import findings

from .factories import T0, routing, verdict


def case_of(tmp_path: Path, **kwargs):  # type: ignore[no-untyped-def]
    tree = routing(tmp_path)
    (finding,) = findings(verdict(**kwargs), "low")
    return apply_finding(None, finding, dedup_key(finding, tree.dedup), False, T0, tree).case


def silence(**matchers: tuple[str, ...]) -> Silence:
    return Silence("s1", matchers, T0, T0 + timedelta(hours=2), "ops-1", "uji coba aturan")


def test_silence_matches_every_matcher_while_active(tmp_path: Path) -> None:
    case = case_of(tmp_path)
    hit = silence(category=("partisan_support",), agency=("pemkab-sleman",))
    miss = silence(category=("hoax",))
    assert silenced_by(case, [miss, hit], T0 + timedelta(minutes=5)) == hit
    assert silenced_by(case, [hit], T0 + timedelta(hours=2)) is None  # expired
    assert expired_unannounced([hit], T0 + timedelta(hours=2)) == [hit]
    announced = dataclasses.replace(hit, expired_announced=True)
    assert expired_unannounced([announced], T0 + timedelta(hours=3)) == []


def test_open_high_case_inhibits_lower_ones_for_the_account(tmp_path: Path) -> None:
    low = case_of(tmp_path, labels={"contestant_engagement": "low"})
    high = case_of(tmp_path, labels={"money_politics": "high"})
    assert inhibited_by(low, [low, high]) == high
    assert inhibited_by(high, [low, high]) is None
    closed = dataclasses.replace(high, status="resolved")
    assert inhibited_by(low, [closed]) is None
