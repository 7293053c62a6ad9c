"""Checks on deploy/prometheus and deploy/grafana.

promtool validates the scrape config and the rules and runs rules_test.yml. The dashboard and the
rules may only query metrics the services export (the catalogue below, itself checked against
the services' metrics modules) or series rules.yml records. Every alert carries what a responder
needs. The files agree with each other and with docker-compose.yml.

promtool comes from Debian's `prometheus` package. When it is missing and the tests run as root
it is installed, as shared/embedded.py does for redis-server; otherwise the tests fail: an
unchecked rule file is what they exist to prevent.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from prometheus_client import CollectorRegistry

from services.alert.metrics import AlertMetrics
from services.classify.metrics import ClassifyMetrics
from services.ingest.metrics import IngestMetrics
from shared.settings import AlertSettings, ClassifySettings, IngestSettings

REPO_ROOT = Path(__file__).resolve().parents[3]
PROMETHEUS_DIR = REPO_ROOT / "deploy" / "prometheus"
GRAFANA_DIR = REPO_ROOT / "deploy" / "grafana"
DASHBOARD = GRAFANA_DIR / "dashboards" / "netral.json"
DATASOURCES = GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml"
DASHBOARD_PROVIDERS = GRAFANA_DIR / "provisioning" / "dashboards" / "netral.yml"
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"

# The metrics the services export, by kind: what dashboards and rules may query.
COUNTERS_AND_GAUGES = frozenset(
    {
        "netral_ingest_events_received_total",
        "netral_ingest_events_accepted_total",
        "netral_ingest_events_rejected_total",
        "netral_ingest_registry_info",
        "netral_classify_events_classified_total",
        "netral_classify_labels_total",
        "netral_classify_dead_letters_total",
        "netral_classify_produce_retries_total",
        "netral_classify_policy_last_reload_successful",
        "netral_classify_consumer_lag_messages",
        "netral_classify_rebalances_total",
        "netral_classify_seconds_since_commit",
        "netral_alert_verdicts_total",
        "netral_alert_case_changes_total",
        "netral_alert_notifications_total",
        "netral_alert_dead_letters_total",
        "netral_alert_retries_total",
        "netral_alert_routing_last_reload_successful",
        "netral_alert_registry_last_reload_successful",
        "netral_alert_consumer_lag_messages",
        "netral_alert_rebalances_total",
        "netral_alert_seconds_since_commit",
    }
)
HISTOGRAMS = frozenset(
    {
        "netral_ingest_publish_seconds",
        "netral_classify_core_seconds",
        "netral_classify_batch_events",
        "netral_alert_notification_delivery_seconds",
    }
)
# Written by Prometheus itself: one `up` per scrape target, one ALERTS series per pending or
# firing alert of rules.yml.
PROMETHEUS_SERIES = frozenset({"up", "ALERTS"})
SCRAPE_JOBS = {"netral-ingest": "ingest", "netral-classify": "classify", "netral-alert": "alert"}
SERVICE_PORTS = {
    "ingest": IngestSettings.model_fields["port"].default,
    "classify": ClassifySettings.model_fields["port"].default,
    "alert": AlertSettings.model_fields["port"].default,
}
SEVERITIES = frozenset({"critical", "warning"})
# The sections themselves are checked to exist by test_k8s.py (test_links_into_the_runbook_resolve).
RUNBOOK = re.compile(r"^deploy/README\.md#[a-z0-9-]+$")

# PromQL pieces that hold no metric name: strings, label matchers, ranges, grouping label lists.
_STRINGS = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGES = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
# A whole identifier (not the tail of a number, a $variable or a longer name) that is not a call.
_IDENTIFIER = re.compile(r"(?<![\w:.$])([A-Za-z_:][\w:]*)(?![\w:])(?!\s*\()")
_KEYWORDS = frozenset(
    {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring"}
    | {"group_left", "group_right", "inf", "nan"}
)


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (not functions, keywords or labels)."""
    for pattern in (_STRINGS, _MATCHERS, _RANGES, _GROUPING):
        expr = pattern.sub(" ", expr)
    return {name for name in _IDENTIFIER.findall(expr) if name.lower() not in _KEYWORDS}


# --- loading ----------------------------------------------------------------------------------


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@functools.cache
def rules() -> list[dict[str, Any]]:
    groups = load_yaml(PROMETHEUS_DIR / "rules.yml")["groups"]
    return [rule for group in groups for rule in group["rules"]]


def alert_rules() -> list[dict[str, Any]]:
    return [rule for rule in rules() if "alert" in rule]


def recorded_names() -> set[str]:
    return {rule["record"] for rule in rules() if "record" in rule}


def exported_names() -> frozenset[str]:
    suffixes = ("_bucket", "_sum", "_count")
    return COUNTERS_AND_GAUGES | PROMETHEUS_SERIES | {h + s for h in HISTOGRAMS for s in suffixes}


@functools.cache
def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return loaded


def panels(container: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel, including those inside (collapsed) rows."""
    for panel in container.get("panels", []):
        yield panel
        yield from panels(panel)


def query_panels() -> list[dict[str, Any]]:
    return [panel for panel in panels(dashboard()) if panel["type"] != "row"]


def dashboard_queries() -> Iterator[tuple[str, str]]:
    """(where, PromQL) for every panel target and every Prometheus annotation."""
    for panel in query_panels():
        for target in panel.get("targets", []):
            yield f"panel {panel['title']!r} {target['refId']}", target.get("expr", "")
    for annotation in dashboard()["annotations"]["list"]:
        if "expr" in annotation:
            yield f"annotation {annotation['name']!r}", annotation["expr"]


@functools.cache
def compose_services() -> dict[str, Any]:
    found: dict[str, Any] = load_yaml(COMPOSE_FILE)["services"]
    return found


def bind_target(service: str, source: str) -> str:
    """Where a compose service mounts the repo path ``source``."""
    for mount in compose_services()[service].get("volumes") or []:
        host, _, rest = str(mount).partition(":")
        if Path(host) == Path(source):
            return rest.split(":", 1)[0]
    raise AssertionError(f"{service} does not mount {source}")


# --- promtool ---------------------------------------------------------------------------------


@functools.cache
def promtool_binary() -> str:
    found = shutil.which("promtool")
    if found:
        return found
    if os.geteuid() != 0:
        pytest.fail(
            "promtool is not installed and these tests are not running as root, so it cannot "
            "be installed for them: run `apt-get install prometheus` (Debian) or put promtool "
            "on PATH.",
            pytrace=False,
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=False)
    install = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "prometheus"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = shutil.which("promtool")
    if not found:
        pytest.fail(
            f"promtool is missing and `apt-get install prometheus` did not provide it "
            f"(exit {install.returncode}):\n{install.stderr[-2000:]}",
            pytrace=False,
        )
    return found


def promtool(*args: str) -> str:
    # Run from deploy/prometheus: rule_files in prometheus.yml and rules_test.yml are relative.
    done = subprocess.run(
        [promtool_binary(), *args],
        cwd=PROMETHEUS_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"promtool {' '.join(args)} failed:\n{output}"
    return output


@pytest.mark.timeout(900)
def test_promtool_accepts_the_scrape_config() -> None:
    output = promtool("check", "config", "prometheus.yml")
    assert "1 rule files found" in output, output


@pytest.mark.timeout(900)
def test_promtool_accepts_the_rules() -> None:
    output = promtool("check", "rules", "rules.yml")
    assert f"{len(rules())} rules found" in output, output


@pytest.mark.timeout(900)
def test_promtool_rule_unit_tests_pass() -> None:
    assert "SUCCESS" in promtool("test", "rules", "rules_test.yml")


# --- metric names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ("up", {"up"}),
        ('up{job=~"netral-.+"} == bool 0', {"up"}),
        (
            "histogram_quantile(0.99, sum by (le) "
            "(rate(netral_x_seconds_bucket[$__rate_interval])))",
            {"netral_x_seconds_bucket"},
        ),
        ("a:b:max > 1e3 and on () hour(vector(time() + 7 * 3600)) >= 8", {"a:b:max"}),
        ('label_replace(m, "dst", "$1", "src", "(.*)") offset 5m', {"m"}),
        ('count(ALERTS{alertstate="firing"}) or vector(0)', {"ALERTS"}),
        ('{__name__=~"netral_.+"} / ignoring(instance) group_left(version) m_info', {"m_info"}),
        ("sum(increase(m_total[$__range])) / $__range_s", {"m_total"}),
    ],
)
def test_metric_names_are_parsed_out_of_promql(expr: str, names: set[str]) -> None:
    assert metric_names(expr) == names


def test_catalogue_is_what_the_services_declare() -> None:
    registry = CollectorRegistry()
    for metrics in (IngestMetrics, ClassifyMetrics, AlertMetrics):
        metrics.create(registry)
    declared = {
        family.name + ("_total" if family.type == "counter" else ""): family.type
        for family in registry.collect()
    }
    # shared/reload.py declares these per Reloadable; main.py names the data kinds.
    expected = {n for n in COUNTERS_AND_GAUGES if not n.endswith("_last_reload_successful")}
    missing = sorted(expected - declared.keys())
    assert not missing, f"in the catalogue but declared by no service: {missing}"
    not_histograms = sorted(n for n in HISTOGRAMS if declared.get(n) != "histogram")
    assert not not_histograms, f"not declared as histograms: {not_histograms}"


def test_dashboard_queries_only_exported_or_recorded_metrics() -> None:
    known = exported_names() | recorded_names()
    queries = list(dashboard_queries())
    assert queries
    unknown = [
        f"{where}: {sorted(metric_names(expr) - known)}"
        for where, expr in queries
        if not metric_names(expr) or metric_names(expr) - known
    ]
    assert not unknown, "queries naming no exported or recorded metric:\n" + "\n".join(unknown)


def test_rules_query_only_exported_or_recorded_metrics() -> None:
    known = exported_names() | recorded_names()
    unknown = [
        f"{rule.get('alert') or rule.get('record')}: {sorted(metric_names(rule['expr']) - known)}"
        for rule in rules()
        if metric_names(rule["expr"]) - known
    ]
    assert not unknown, "\n".join(unknown)


# --- alert rules ------------------------------------------------------------------------------


def test_every_alert_has_for_severity_summary_and_runbook() -> None:
    problems = []
    for rule in alert_rules():
        name = rule["alert"]
        annotations = rule.get("annotations") or {}
        if not rule.get("for"):
            problems.append(f"{name}: no `for:` (one bad scrape would page)")
        if (rule.get("labels") or {}).get("severity") not in SEVERITIES:
            problems.append(f"{name}: severity must be one of {sorted(SEVERITIES)}")
        problems += [
            f"{name}: no {key}" for key in ("summary", "description") if not annotations.get(key)
        ]
        if not RUNBOOK.match(annotations.get("runbook_url", "")):
            problems.append(f"{name}: runbook_url must be deploy/README.md#<section>")
    assert alert_rules() and not problems, "\n".join(problems)


def test_alert_names_are_unique_and_prefixed() -> None:
    # The dashboard selects pipeline alerts with alertname=~"Netral.+".
    names = [rule["alert"] for rule in alert_rules()]
    assert len(names) == len(set(names)), names
    assert all(name.startswith("Netral") for name in names), names


def test_every_alert_is_tested_firing_and_silent() -> None:
    cases = [
        case
        for test in load_yaml(PROMETHEUS_DIR / "rules_test.yml")["tests"]
        for case in test.get("alert_rule_test", [])
    ]
    fired = {case["alertname"] for case in cases if case.get("exp_alerts")}
    silent = {case["alertname"] for case in cases if not case.get("exp_alerts")}
    names = {rule["alert"] for rule in alert_rules()}
    assert names <= fired, f"never shown firing: {sorted(names - fired)}"
    assert names <= silent, f"never shown silent: {sorted(names - silent)}"


# --- scrape config ----------------------------------------------------------------------------


def scrape_targets(job: dict[str, Any]) -> set[str]:
    static = {t for config in job.get("static_configs", []) for t in config["targets"]}
    dns = {
        f"{name}:{config['port']}"
        for config in job.get("dns_sd_configs", [])
        for name in config["names"]
    }
    return static | dns


def test_scrape_jobs_target_each_service_on_its_port() -> None:
    config = load_yaml(PROMETHEUS_DIR / "prometheus.yml")
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert config["rule_files"] == ["rules.yml"]
    for job_name, service in SCRAPE_JOBS.items():
        assert service in compose_services(), f"{job_name}: no compose service {service!r}"
        expected = {f"{service}:{SERVICE_PORTS[service]}"}
        assert scrape_targets(jobs[job_name]) == expected, job_name


def test_compose_mounts_the_prometheus_directory_as_its_config() -> None:
    target = bind_target("prometheus", "./deploy/prometheus")
    command = " ".join(compose_services()["prometheus"].get("command") or [])
    assert f"--config.file={target}/prometheus.yml" in command


# --- grafana ----------------------------------------------------------------------------------


def test_dashboard_identity() -> None:
    assert dashboard()["uid"] == "netral-pipeline"
    assert dashboard()["id"] is None, "a provisioned dashboard must not carry a database id"
    assert isinstance(dashboard()["schemaVersion"], int) and dashboard()["schemaVersion"] >= 36


def test_every_panel_queries_the_provisioned_datasource() -> None:
    uid = load_yaml(DATASOURCES)["datasources"][0]["uid"]
    assert uid == "prometheus"
    problems = []
    for panel in query_panels():
        targets = panel.get("targets") or []
        sources = [panel.get("datasource")] + [target.get("datasource") for target in targets]
        if not targets or any(not t.get("expr") for t in targets):
            problems.append(f"{panel['title']}: a target without a query")
        if any((source or {}).get("uid") != uid for source in sources):
            problems.append(f"{panel['title']}: not on datasource {uid!r}")
    assert not problems, "\n".join(problems)


def test_panels_have_unique_ids_and_do_not_overlap() -> None:
    all_panels = list(panels(dashboard()))
    ids = [panel["id"] for panel in all_panels]
    assert len(ids) == len(set(ids)), "duplicate panel ids"
    taken: dict[tuple[int, int], str] = {}
    for panel in all_panels:
        pos = panel["gridPos"]
        assert pos["x"] + pos["w"] <= 24, f"{panel['title']} is wider than the grid"
        for x in range(pos["x"], pos["x"] + pos["w"]):
            for y in range(pos["y"], pos["y"] + pos["h"]):
                assert (x, y) not in taken, f"{panel['title']} overlaps {taken[(x, y)]}"
                taken[(x, y)] = panel["title"]


def test_datasource_points_at_the_compose_prometheus() -> None:
    source = load_yaml(DATASOURCES)["datasources"][0]
    url = urlsplit(source["url"])
    assert url.hostname in compose_services(), source["url"]
    published = [str(p).rsplit(":", 1)[-1] for p in compose_services()[url.hostname]["ports"]]
    assert str(url.port) in published


def test_provisioned_dashboards_path_is_where_compose_mounts_them() -> None:
    mounted = bind_target("grafana", "./deploy/grafana/dashboards")
    provider = load_yaml(DASHBOARD_PROVIDERS)["providers"][0]
    assert provider["options"]["path"] == mounted
    assert bind_target("grafana", "./deploy/grafana/provisioning") == "/etc/grafana/provisioning"
    env = compose_services()["grafana"]["environment"]
    home = env.get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
    assert home is None or home == f"{mounted}/{DASHBOARD.name}"


def test_grafana_admin_password_comes_from_the_environment() -> None:
    password = str(compose_services()["grafana"]["environment"]["GF_SECURITY_ADMIN_PASSWORD"])
    assert re.fullmatch(r"\$\{\w+(:?-[^}]*)?\}", password), "admin password is hard-coded"
