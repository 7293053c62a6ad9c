"""``netral.case/1``: one change to a case, carrying the whole case as it stands after the change.

The topic is the case log: the latest change of each case is its current state, and all of a
case's changes in order are its timeline, so the Redis case view can be rebuilt from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shared.schema.event import AsnRef
from shared.schema.verdict import Category, Evidence, Severity

CASE_SCHEMA = "netral.case/1"

CaseAction = Literal[
    "opened",
    "occurred",
    "notified",
    "escalated",
    "acknowledged",
    "commented",
    "reassigned",
    "snoozed",
    "resolved",
    "reopened",
    "delivery_failed",
]
CaseStatus = Literal["open", "acknowledged", "snoozed", "resolved"]
Outcome = Literal["confirmed", "false_positive", "dismissed", "not_asn_account", "out_of_scope"]


@dataclass(frozen=True, slots=True)
class Case:
    """A case: one open group of findings for one dedup key, with where it stands in the chain."""

    case_id: str
    key: str
    account_id: str
    category: Category
    status: CaseStatus
    severity: Severity
    count: int
    first_seen: datetime
    last_seen: datetime
    opened_at: datetime
    first_event_id: str
    last_event_id: str
    level: int = 1
    level_since: datetime | None = None
    ack_deadline: datetime | None = None
    asn: AsnRef | None = None
    contestant: str = ""
    election_id: str = ""
    phase: str = ""
    policy_version: str = ""
    evidence: tuple[Evidence, ...] = ()
    assignee: str | None = None
    acknowledged_by: str | None = None
    snoozed_until: datetime | None = None
    outcome: Outcome | None = None
    notified_severity: Severity = "none"
    notified_level: int = 0
    notified_count: int = 0
    last_notified_at: datetime | None = None
    raised_by: tuple[str, ...] = ()
    last_received_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CaseChange:
    """One entry of the case log: what happened, who did it, and the case afterwards."""

    change_id: str
    action: CaseAction
    at: datetime
    case: Case
    actor: str = "netral-alert"
    note: str = ""
    event_id: str = ""
    recipients: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    schema: Literal["netral.case/1"] = "netral.case/1"

    @property
    def case_id(self) -> str:
        return self.case.case_id

    @property
    def account_id(self) -> str:
        return self.case.account_id
