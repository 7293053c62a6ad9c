"""Policy packs are data: validated on load with the file and field named, never half-loaded."""

from pathlib import Path

import pytest
import yaml

from services.classify.model import load_model
from services.classify.policy import load_policy
from services.classify.watchlist import load_watchlist
from shared.errors import InvalidReferenceData
from shared.settings import ReferenceSettings

REF = ReferenceSettings()


def write_pack(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    pack = yaml.safe_load(REF.policy.read_text())
    change(pack)
    for name in ("hoax-claims.yaml", "model-2024.json"):
        (tmp_path / name).write_bytes((REF.policy.parent / name).read_bytes())
    path = tmp_path / "pack.yaml"
    path.write_text(yaml.safe_dump(pack, allow_unicode=True))
    return path


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda p: p["rules"][0].update(all=["no_such_lexicon", "contestant"]), "unknown lexicon"),
        (lambda p: p["rules"][0].update(weight=1.5), "$.rules[0].weight"),
        (lambda p: p["rules"][0].update(category="gossip"), "$.rules[0].category"),
        (lambda p: p["categories"].pop("hoax"), "missing hoax"),
        (lambda p: p["rules"].append(dict(p["rules"][0])), "duplicate id"),
        (lambda p: p.update(model={**p["model"], "path": "missing.json"}), "cannot read model"),
        (lambda p: p["reported_speech"].update(lexicon="nope"), "unknown lexicon"),
        (lambda p: p["contexts"][0].update(unless=[{"lexicon": "nope"}]), "unknown lexicon"),
        (lambda p: p["contexts"][0].update(unless_present=["nope"]), "unknown lexicon"),
        (lambda p: p["model"].update(gates={"hoax": ["nope"]}), "unknown lexicon"),
        (lambda p: p["person_names"].update(after="nope"), "unknown lexicon"),
        (lambda p: p["person_names"].update(name="contestant"), "already a lexicon"),
    ],
)
def test_bad_packs_are_refused_with_the_field(tmp_path: Path, change, fragment: str) -> None:  # type: ignore[no-untyped-def]
    path = write_pack(tmp_path, change)
    with pytest.raises(InvalidReferenceData) as caught:
        load_policy(path, load_watchlist(REF.watchlist))
    assert fragment in str(caught.value)


def test_yaml_syntax_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "pack.yaml"
    path.write_text("version: x\ncategories: [\n")
    with pytest.raises(InvalidReferenceData, match="line"):
        load_policy(path, load_watchlist(REF.watchlist))


def test_plain_text_watchlist(tmp_path: Path) -> None:
    listed = tmp_path / "accounts.txt"
    listed.write_text("# contestants\nx-777\ninstagram:ig-888\n\n")
    watchlist = load_watchlist(listed)
    assert watchlist.watched("x", "x-777") is not None
    assert watchlist.watched("instagram", "ig-888") is not None
    assert watchlist.watched("x", "ig-888") is None


# Training fits seven models on the whole dev set (about a minute on an idle 2-core machine,
# three when the machine is busy): more than the suite's default timeout allows.
@pytest.mark.timeout(900)
def test_shipped_model_is_reproduced_by_training(tmp_path: Path) -> None:
    from services.cli import main

    out = tmp_path / "model.json"
    assert (
        main(
            [
                "train",
                "--gold",
                str(Path(__file__).resolve().parents[2] / "data" / "dev"),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert load_model(out) == load_model(REF.policy.parent / "model-2024.json")
