import os
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from services.alert.route import load_routing
from shared.reload import Reloadable
from shared.settings import ReferenceSettings


@pytest.mark.expect_error_logs
def test_a_bad_file_never_replaces_a_good_one(tmp_path: Path) -> None:
    path = tmp_path / "routing.yaml"
    good = ReferenceSettings().routing.read_text()
    path.write_text(good)
    registry = CollectorRegistry()
    routing = Reloadable("routing", [path], lambda: load_routing(path), "alert", registry)
    loaded = routing.current
    path.write_text(good.replace("receiver: urgent", "receiver: nobody"))
    os.utime(path, (1, 1))  # a changed stamp, whatever the clock's resolution
    assert routing.reload_if_changed() is False
    assert routing.current is loaded
    assert registry.get_sample_value("netral_alert_routing_last_reload_successful") == 0
    path.write_text(good.replace('version: "2024.02.1"', 'version: "2024.02.2"'))
    os.utime(path, (2, 2))
    assert routing.reload_if_changed() is True
    assert routing.current.version == "2024.02.2"
    assert registry.get_sample_value("netral_alert_routing_last_reload_successful") == 1
    assert (
        registry.get_sample_value("netral_alert_routing_version_info", {"version": "2024.02.2"})
        == 1
    )
