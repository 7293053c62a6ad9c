"""Time in one place, always timezone-aware UTC, so decisions can take ``now`` as an argument."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
