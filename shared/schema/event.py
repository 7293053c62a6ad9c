"""``netral.event/1``: one public action of a monitored account, as ingest publishes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from msgspec import Meta

EVENT_SCHEMA = "netral.event/1"

Platform = Literal["x", "facebook", "instagram", "tiktok", "youtube", "other"]
Kind = Literal["post", "comment", "share", "like", "follow", "join_group", "profile_update"]
PLATFORMS: tuple[str, ...] = Platform.__args__  # type: ignore[attr-defined]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]

Id = Annotated[str, Meta(min_length=1, max_length=256)]
Text = Annotated[str, Meta(max_length=20_000)]
Url = Annotated[str, Meta(max_length=2_048)]
Tag = Annotated[str, Meta(min_length=1, max_length=140)]


@dataclass(frozen=True, slots=True)
class Target:
    """The account, post or group an action was aimed at."""

    account_id: Id
    text: Text = ""
    url: Url | None = None
    name: Annotated[str, Meta(max_length=256)] = ""


@dataclass(frozen=True, slots=True)
class Media:
    type: Literal["image", "video", "audio", "other"]
    alt_text: Text = ""
    ocr_text: Text = ""


@dataclass(frozen=True, slots=True)
class AsnRef:
    """Registry enrichment added by ingest: a pseudonymous employee id, never a name."""

    employee_id: str
    agency: str
    unit: str
    region: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    event_id: Id
    platform: Platform
    kind: Kind
    account_id: Id
    created_at: datetime
    text: Text = ""
    target: Target | None = None
    hashtags: Annotated[tuple[Tag, ...], Meta(max_length=100)] = ()
    mentions: Annotated[tuple[Id, ...], Meta(max_length=100)] = ()
    media: Annotated[tuple[Media, ...], Meta(max_length=20)] = ()
    url: Url | None = None
    received_at: datetime | None = None
    asn: AsnRef | None = None
    schema: Literal["netral.event/1"] = "netral.event/1"
