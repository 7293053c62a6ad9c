from datetime import UTC, datetime
from typing import Any

import pytest

from services.classify.policy import Policy, load_policy
from services.classify.watchlist import load_watchlist
from shared.schema import Event, Target
from shared.settings import ReferenceSettings

NOW = datetime(2024, 1, 12, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def policy() -> Policy:
    ref = ReferenceSettings()
    return load_policy(ref.policy, load_watchlist(ref.watchlist))


def make_event(text: str = "", kind: str = "post", **fields: Any) -> Event:
    target = fields.pop("target", None)
    if isinstance(target, str):
        target = Target(target)
    return Event(
        event_id=fields.pop("event_id", "e1"),
        platform=fields.pop("platform", "x"),
        kind=kind,  # type: ignore[arg-type]
        account_id=fields.pop("account_id", "x-1480021"),
        created_at=fields.pop("created_at", datetime(2024, 1, 10, 1, 0, tzinfo=UTC)),
        text=text,
        target=target,
        **fields,
    )
