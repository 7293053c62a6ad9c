from pathlib import Path

from services.alert.cases import Action, apply_action, apply_finding
from services.alert.dedup import dedup_key
from services.alert.referral import referral_pack
from services.alert.threshold import findings

from .factories import T0, routing, verdict


def test_referral_pack_says_whether_a_person_confirmed(tmp_path: Path) -> None:
    tree = routing(tmp_path)
    (finding,) = findings(verdict(labels={"money_politics": "high"}), "low")
    opened = apply_finding(None, finding, dedup_key(finding, tree.dedup), False, T0, tree)
    pack = referral_pack(opened.case, [opened.change], [], tree, T0)  # type: ignore[list-item]
    assert pack["status"].startswith("NOT CONFIRMED") and pack["to"] == ["BKN", "Bawaslu"]
    assert pack["evidence"][0]["match"] == "dukung" and pack["subject"]["employee_id"] == "ASN-0007"
    done = apply_action(
        opened.case,
        Action("resolve", "ASN-0001", "terbukti, ada bukti foto", outcome="confirmed"),
        T0,
        tree,
    )
    pack = referral_pack(done.case, [opened.change, done.change], [], tree, T0)  # type: ignore[list-item]
    assert pack["status"] == "confirmed by a person" and pack["confirmed_by"] == "ASN-0001"
    assert [t["action"] for t in pack["timeline"]] == ["opened", "resolved"]
