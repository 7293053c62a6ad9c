"""``netral.case/1``: one change to a case. The topic is the case log Redis can be rebuilt from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shared.schema.event import AsnRef
from shared.schema.verdict import Category, Evidence, Severity

CASE_SCHEMA = "netral.case/1"

CaseAction = Literal[
    "opened", "occurred", "notified", "acknowledged", "escalated", "resolved", "reopened"
]
CaseStatus = Literal["open", "acknowledged", "resolved"]


@dataclass(frozen=True, slots=True)
class CaseChange:
    change_id: str
    case_id: str
    action: CaseAction
    at: datetime
    account_id: str
    category: Category
    severity: Severity
    status: CaseStatus
    count: int
    first_seen: datetime
    last_seen: datetime
    event_id: str
    asn: AsnRef | None = None
    evidence: tuple[Evidence, ...] = ()
    recipients: tuple[str, ...] = ()
    actor: str = "netral-alert"
    note: str = ""
    policy_version: str = ""
    schema: Literal["netral.case/1"] = "netral.case/1"
