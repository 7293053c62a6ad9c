from datetime import UTC, datetime, timedelta
from pathlib import Path

from services.alert.route import Routing, load_routing
from shared.schema import AsnRef, Event, Evidence, Verdict

T0 = datetime(2024, 1, 10, 1, 0, tzinfo=UTC)
ASN = AsnRef("ASN-0007", "pemkab-sleman", "pemkab-sleman/dinas-pendidikan", "34.04")

ROUTING_TEXT = """
version: test
oversight_body: BKN
election_authority: Bawaslu
chain:
  - {name: one, notify: [direct_superior], ack_within: 1h}
  - {name: two, notify: [direct_superior, agency_hr], ack_within: 2h}
  - {name: three, notify: [ppk, agency_hr], referral: [oversight_body], ack_within: 30m}
start_level: {low: 1, medium: 2, high: 3}
dedup: {by: [account_id, category, contestant]}
escalation: {repeat_lows: 3, raise_in_phases: [quiet, voting]}
route:
  receiver: base
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 24h
receivers:
  - {name: base, channels: [webhook, log]}
"""


def routing(tmp_path: Path) -> Routing:
    path = tmp_path / "routing.yaml"
    path.write_text(ROUTING_TEXT)
    return load_routing(path)


def verdict(
    event_id: str = "e1",
    labels: dict[str, str] | None = None,
    minutes: int = 0,
    account_id: str = "x-1480021",
    phase: str = "campaign",
    contestants: tuple[str, ...] = ("paslon-02",),
) -> Verdict:
    labels = {"partisan_support": "medium"} if labels is None else labels
    created = T0 + timedelta(minutes=minutes)
    event = Event(
        event_id, "x", "post", account_id, created, text="dukung 02", asn=ASN, received_at=created
    )
    evidence = tuple(
        Evidence(c, f"R-{c}", "text", 0, 6, "dukung", "dukung 02", "SKB", 0.8) for c in labels
    )
    severity = max(labels.values(), key=["none", "low", "medium", "high"].index, default="none")
    return Verdict(
        event_id=event_id,
        account_id=account_id,
        scores=dict.fromkeys(labels, 0.8),
        labels=tuple(labels),  # type: ignore[arg-type]
        severity=severity,  # type: ignore[arg-type]
        evidence=evidence,
        policy_version="p1",
        classified_at=created,
        event=event,
        label_severity=labels,  # type: ignore[arg-type]
        election_id="pemilu-2024",
        phase=phase,
        contestants=contestants,
    )
