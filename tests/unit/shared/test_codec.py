import pytest

from shared import codec
from shared.errors import InvalidMessage
from shared.schema import Event

VALID = (
    b'{"event_id":"e1","platform":"x","kind":"post","account_id":"x-1",'
    b'"created_at":"2024-01-10T08:00:00+07:00","text":"halo"}'
)


def test_decodes_a_valid_event() -> None:
    event = codec.decode(VALID, Event)
    assert (event.event_id, event.kind, event.created_at.utcoffset().total_seconds()) == (
        "e1",
        "post",
        7 * 3600,
    )


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"{not json", "malformed JSON"),
        (VALID.replace(b'"x-1"', b"42"), "$.account_id"),
        (VALID.replace(b'"kind":"post"', b'"kind":"retweet"'), "$.kind"),
        (VALID.replace(b'"event_id":"e1",', b""), "event_id"),
        (VALID.replace(b"2024-01-10T08:00:00+07:00", b"yesterday"), "$.created_at"),
    ],
)
def test_invalid_input_names_the_problem(raw: bytes, fragment: str) -> None:
    with pytest.raises(InvalidMessage) as caught:
        codec.decode(raw, Event)
    assert fragment in str(caught.value)
