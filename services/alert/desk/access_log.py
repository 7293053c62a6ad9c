"""The access log: every read of a case by a person (data-protection brief: log every read).

Entries go to a Redis stream (what ``GET /api/v1/access-log`` reads) and to the service's JSON log
(logger ``netral.desk.access``), which a deployment ships to durable storage.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from redis.asyncio import Redis

from services.alert.desk.visibility import Principal
from shared.redis import Keys

log = logging.getLogger("netral.desk.access")
SCAN_BATCH = 500
SCAN_MAX = 20_000


@dataclass(frozen=True, slots=True)
class Access:
    id: str
    at: str
    username: str
    role: str
    case_id: str
    what: str
    detail: dict[str, Any]


class AccessLog:
    def __init__(self, client: Redis, keys: Keys, max_entries: int) -> None:
        self.client = client
        self.stream = keys("desk", "access")
        self.max_entries = max_entries

    async def record(self, who: Principal, what: str, case_id: str = "", **detail: Any) -> None:
        at = datetime.now(UTC).isoformat()
        fields = {
            "at": at,
            "username": who.username,
            "role": who.role,
            "case_id": case_id,
            "what": what,
            "detail": orjson.dumps(detail),
        }
        log.info(
            "case data read",
            extra={"data": {k: v for k, v in fields.items() if k != "detail"} | detail},
        )
        await self.client.xadd(
            self.stream,
            fields,  # type: ignore[arg-type]
            maxlen=self.max_entries,
            approximate=True,
        )

    async def entries(
        self,
        *,
        case_id: str | None = None,
        username: str | None = None,
        limit: int = 100,
        before: str | None = None,
    ) -> tuple[list[Access], str | None]:
        """Newest first; ``before`` is the id of the last entry of the previous page."""
        found: list[Access] = []
        if before is not None and before.strip("0") == "-":
            return found, None  # nothing is older than 0-0 (and Redis refuses "(0-0")
        high = f"({before}" if before else "+"
        scanned, last = 0, before
        while len(found) < limit and scanned < SCAN_MAX:
            batch = await self.client.xrevrange(self.stream, max=high, min="-", count=SCAN_BATCH)
            if not batch:
                return found, None
            for entry_id, fields in batch:
                scanned += 1
                access = _access(entry_id, fields)  # type: ignore[arg-type]
                high, last = f"({access.id}", access.id
                if (case_id is None or access.case_id == case_id) and (
                    username is None or access.username == username
                ):
                    found.append(access)
                    if len(found) == limit:
                        return found, access.id
        return found, last


def _access(entry_id: bytes | str, fields: dict[bytes, bytes]) -> Access:
    text = {k.decode(): v.decode() for k, v in fields.items()}
    return Access(
        id=entry_id.decode() if isinstance(entry_id, bytes) else entry_id,
        at=text["at"],
        username=text["username"],
        role=text["role"],
        case_id=text["case_id"],
        what=text["what"],
        detail=orjson.loads(text["detail"]),
    )
