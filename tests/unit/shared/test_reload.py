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


def test_an_edit_in_an_included_file_is_picked_up(tmp_path: Path) -> None:
    from services.classify.watchlist import load_watchlist

    shipped = ReferenceSettings().watchlist
    for name in (shipped.name, "watchlist-pilkada-2024.yaml"):
        (tmp_path / name).write_text((shipped.parent / name).read_text())
    main, included = tmp_path / shipped.name, tmp_path / "watchlist-pilkada-2024.yaml"
    watchlist = Reloadable(
        "watchlist",
        [main],
        lambda: load_watchlist(main),
        "classify",
        CollectorRegistry(),
        read_from=lambda current: current.files,
    )
    assert watchlist.current.version == "pemilu-2024.1+pilkada-2024.1"
    included.write_text(included.read_text().replace('"pilkada-2024.1"', '"pilkada-2024.2"'))
    os.utime(included, (3, 3))
    assert watchlist.reload_if_changed() is True
    assert watchlist.current.version == "pemilu-2024.1+pilkada-2024.2"
    assert watchlist.reload_if_changed() is False
