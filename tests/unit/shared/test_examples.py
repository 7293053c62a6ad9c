"""Every checked-in example message decodes into its topic's type and survives a round trip."""

from pathlib import Path

import pytest

from shared import codec, topics

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BY_FOLDER = {topic.default_name.rsplit(".", 1)[0]: topic for topic in topics.ALL}
FILES = sorted(EXAMPLES.glob("*/v1/*.json"))


def test_every_topic_has_examples() -> None:
    folders = {path.parent.parent.name for path in FILES}
    assert folders == set(BY_FOLDER)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_example_round_trips(path: Path) -> None:
    topic = BY_FOLDER[path.parent.parent.name]
    value = codec.decode(path.read_bytes(), topic.value_type)
    assert codec.decode(codec.encode(value), topic.value_type) == value
    assert value.schema.startswith("netral.")
