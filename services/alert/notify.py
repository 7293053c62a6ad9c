"""What a notification says: who, what, why (the first matched span), the rule it enforces,
severity, count and where to look. Pure."""

from __future__ import annotations

from services.alert.channels.base import Notification
from shared.schema import CaseChange


def render(change: CaseChange, recipients: tuple[str, ...], desk_url: str) -> Notification:
    case = change.case
    who = case.asn.employee_id if case.asn else case.account_id
    where = f" ({case.asn.unit})" if case.asn else ""
    why = ""
    if case.evidence:
        first = case.evidence[0]
        why = f': "{first.match}" [{first.rule_id}; {first.enforces}]'
    state = "" if change.action != "resolved" else f" RESOLVED as {case.outcome}"
    summary = (
        f"{case.category} ({case.severity}, x{case.count}, level {case.level}) by "
        f"{who}{where}{why}{state}"
    )
    return Notification(change, recipients, f"{desk_url.rstrip('/')}/{case.case_id}", summary)
