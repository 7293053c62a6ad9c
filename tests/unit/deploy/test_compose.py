"""Static checks on docker-compose.yml, the Dockerfile and .dockerignore.

There is no Docker engine in CI, so `docker compose config` cannot run: these tests read the files
as data and check what the engine would only tell us at `up` time (a dangling depends_on, an
undeclared volume, a misspelt NETRAL_* variable that pydantic-settings would silently ignore).
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import functools
import json
import re
import shlex
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError
from pydantic_settings import BaseSettings

from shared.settings import (
    AlertSettings,
    ClassifySettings,
    IngestSettings,
    env_fields,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"

SERVICE_SETTINGS: dict[str, type[BaseSettings]] = {
    "ingest": IngestSettings,
    "classify": ClassifySettings,
    "alert": AlertSettings,
}
SUBCOMMANDS = frozenset({"topics", "ingest", "classify", "alert", "up", "demo"})
ONE_SHOT_JOBS = frozenset({"topics"})
SCALED_SERVICES = ("classify", "alert")
HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
# Third-party images with no python inside: probed with their own busybox wget instead.
MONITORING_PORTS = {"prometheus": 9090, "grafana": 3000}
DEPENDS_CONDITIONS = frozenset(
    {"service_started", "service_healthy", "service_completed_successfully"}
)
INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?::?-(?P<default>[^}]*))?\}")


# --- loading ----------------------------------------------------------------------------------


@functools.cache
def compose() -> dict[str, Any]:
    with COMPOSE_FILE.open(encoding="utf-8") as f:
        loaded = yaml.safe_load(f)
    assert isinstance(loaded, dict), "docker-compose.yml is not a mapping"
    return loaded


def services() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose()["services"]
    return found


def netral_services() -> dict[str, dict[str, Any]]:
    """The services that run the netral image (built here), as opposed to Kafka and Redis."""
    return {
        name: svc
        for name, svc in services().items()
        if "build" in svc or "netral" in str(svc.get("image", "")).lower()
    }


def environment(service: dict[str, Any]) -> dict[str, str | None]:
    """A service's environment in either compose form; None means "passed through from host"."""
    env = service.get("environment") or {}
    if isinstance(env, dict):
        return {k: None if v is None else str(v) for k, v in env.items()}
    pairs = (item.partition("=") for item in env)
    return {k: (v if sep else None) for k, sep, v in pairs}


def interpolated(value: str) -> str:
    """The value compose would use with no host variables set: `${X:-d}` becomes `d`."""
    return INTERPOLATION.sub(lambda m: m.group("default") or "", value)


def command_words(service: dict[str, Any]) -> list[str]:
    command = service.get("command") or []
    return shlex.split(command) if isinstance(command, str) else [str(w) for w in command]


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def settings_fields() -> dict[str, tuple[type[BaseSettings], str]]:
    """Every env name the settings read, mapped to (class, field); nested settings excluded."""
    return env_fields()


# --- compose: structure -----------------------------------------------------------------------


def test_compose_parses_to_services_and_volumes() -> None:
    assert isinstance(services(), dict) and services()
    assert isinstance(compose().get("volumes", {}), dict)
    assert "version" not in compose(), "the compose spec ignores `version`; drop it"


def test_shared_service_config_is_an_anchor() -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    assert "x-netral-service" in compose()
    assert re.search(r"^x-netral-service:\s*&\S+", text, re.MULTILINE)
    assert set(netral_services()) >= {"topics", "ingest", "classify", "alert"}


def test_depends_on_names_existing_services_with_valid_conditions() -> None:
    problems = []
    for name, svc in services().items():
        for dep, condition in depends_on(svc).items():
            if dep not in services():
                problems.append(f"{name} depends on unknown service {dep!r}")
            elif condition not in DEPENDS_CONDITIONS:
                problems.append(f"{name} -> {dep}: unknown condition {condition!r}")
            elif condition == "service_healthy" and "healthcheck" not in services()[dep]:
                problems.append(f"{name} waits for {dep} healthy, but {dep} has no healthcheck")
            elif condition == "service_completed_successfully" and dep not in ONE_SHOT_JOBS:
                problems.append(f"{name} waits for {dep} to exit, but {dep} is long-running")
    assert not problems, "\n".join(problems)


def named_volumes(service: dict[str, Any]) -> Iterator[str]:
    for mount in service.get("volumes") or []:
        if isinstance(mount, dict):
            source = mount.get("source", "") if mount.get("type", "volume") == "volume" else ""
        else:
            source = mount.split(":", 1)[0] if ":" in mount else ""
        if source and not source.startswith(("/", ".", "~", "$")):
            yield source


def test_named_volumes_are_declared_and_used() -> None:
    declared = set(compose().get("volumes") or {})
    used = {(name, vol) for name, svc in services().items() for vol in named_volumes(svc)}
    undeclared = sorted(f"{name}: {vol}" for name, vol in used if vol not in declared)
    assert not undeclared, f"named volumes used but not declared: {undeclared}"
    assert declared <= {vol for _, vol in used}, "a declared volume is mounted by no service"


def test_netral_commands_are_known_subcommands() -> None:
    problems = {
        name: command_words(svc)
        for name, svc in netral_services().items()
        if not command_words(svc) or command_words(svc)[0] not in SUBCOMMANDS
    }
    assert not problems, f"not a `netral` subcommand: {problems}"


def test_every_long_running_service_has_a_healthcheck() -> None:
    missing = [
        name
        for name, svc in services().items()
        if name not in ONE_SHOT_JOBS
        and (not svc.get("healthcheck") or svc["healthcheck"].get("disable"))
    ]
    assert not missing, f"services without a healthcheck: {missing}"


def test_restart_policies_fit_the_process_kind() -> None:
    for name, svc in services().items():
        if name in ONE_SHOT_JOBS:
            # `always`/`unless-stopped` would rerun a finished job forever.
            assert svc.get("restart", "no") in {"no", "on-failure"}, name
        else:
            assert svc.get("restart") == "unless-stopped", name


# --- compose: netral services -----------------------------------------------------------------


def test_settings_field_names_are_derived() -> None:
    expected = {
        "NETRAL_KAFKA_BOOTSTRAP",
        "NETRAL_KAFKA_IDEMPOTENT",
        "NETRAL_REDIS_URL",
        "NETRAL_LOG_FORMAT",
        "NETRAL_REF_REGISTRY",
        "NETRAL_INGEST_PORT",
        "NETRAL_ALERT_WEBHOOK_URL",
    }
    assert expected <= set(settings_fields())
    assert "NETRAL_INGEST_KAFKA" not in settings_fields()


def test_netral_env_vars_are_real_settings_fields() -> None:
    unknown = sorted(
        f"{name}: {var}"
        for name, svc in services().items()
        for var in environment(svc)
        if var.startswith("NETRAL_") and var not in settings_fields()
    )
    assert not unknown, f"NETRAL_* variables no settings class reads: {unknown}"


def test_netral_env_values_validate_against_their_field() -> None:
    problems = []
    for name, svc in netral_services().items():
        for var, value in environment(svc).items():
            if value is None or var not in settings_fields():
                continue
            cls, field = settings_fields()[var]
            try:
                cls.model_validate({field: interpolated(value)})
            except ValidationError as exc:
                problems.append(f"{name}: {var}={value!r}: {exc.errors()[0]['msg']}")
    assert not problems, "\n".join(problems)


def test_netral_services_reach_kafka_and_redis_by_service_name() -> None:
    problems = []
    for name, svc in netral_services().items():
        env = environment(svc)
        bootstrap = env.get("NETRAL_KAFKA_BOOTSTRAP") or ""
        hosts = [b.rsplit(":", 1)[0] for b in interpolated(bootstrap).split(",") if b]
        if env.get("NETRAL_REDIS_URL"):
            hosts.append(urlsplit(interpolated(env["NETRAL_REDIS_URL"] or "")).hostname or "")
        problems += [f"{name}: {host!r} is no service" for host in hosts if host not in services()]
        if not bootstrap:
            problems.append(f"{name}: NETRAL_KAFKA_BOOTSTRAP is not set")
    assert not problems, "\n".join(problems)


def test_services_that_use_redis_are_given_its_url() -> None:
    for name, cls in SERVICE_SETTINGS.items():
        needs_redis = "redis" in cls.model_fields
        has_url = environment(services()[name]).get("NETRAL_REDIS_URL") is not None
        assert has_url == needs_redis, f"{name}: NETRAL_REDIS_URL set={has_url}, used={needs_redis}"


def test_producers_run_idempotent() -> None:
    for name, svc in netral_services().items():
        assert environment(svc).get("NETRAL_KAFKA_IDEMPOTENT") == "true", name


def test_scaled_services_publish_no_fixed_host_port() -> None:
    for name in SCALED_SERVICES:
        svc = services()[name]
        assert not svc.get("ports"), f"{name} publishes {svc.get('ports')}: --scale would collide"
        assert "container_name" not in svc, f"{name} has a fixed container_name"


def test_healthchecks_probe_the_services_own_port_with_python() -> None:
    for name, svc in netral_services().items():
        if name in ONE_SHOT_JOBS:
            continue
        subcommand = command_words(svc)[0]
        port = environment(svc).get(f"NETRAL_{subcommand.upper()}_PORT")
        port = port or str(SERVICE_SETTINGS[subcommand].model_fields["port"].default)
        test = " ".join(str(word) for word in svc["healthcheck"]["test"])
        url = re.search(r"https?://[^'\"\s]+", test)
        assert "python" in test and "urllib" in test and url, f"{name}: {test}"
        parts = urlsplit(url.group())
        assert str(parts.port) == port, f"{name} probes port {parts.port}, serves on {port}"
        assert parts.path in HEALTH_PATHS, f"{name} probes {parts.path}"


def test_monitoring_healthchecks_probe_their_own_published_port() -> None:
    for name, port in MONITORING_PORTS.items():
        svc = services()[name]
        test = " ".join(str(word) for word in svc["healthcheck"]["test"])
        url = re.search(r"https?://[^'\"\s]+", test)
        assert url and urlsplit(url.group()).port == port, f"{name} probes {test}"
        published = [str(p).rsplit(":", 1)[-1].split("/")[0] for p in svc.get("ports") or []]
        assert str(port) in published, f"{name} does not publish {port}"


def test_bind_mounts_are_existing_repo_paths_mounted_read_only() -> None:
    # Docker creates a missing bind source as an empty directory: a typo would start the
    # container with no config instead of failing.
    problems = []
    for name, svc in services().items():
        for mount in svc.get("volumes") or []:
            source, _, rest = str(mount).partition(":")
            if not source.startswith("./"):
                continue
            if not (REPO_ROOT / source).exists():
                problems.append(f"{name}: {source} does not exist")
            if not rest.endswith(":ro"):
                problems.append(f"{name}: {source} is mounted writable")
    assert not problems, "\n".join(problems)


def test_ingest_publishes_its_serving_port() -> None:
    serving = str(IngestSettings.model_fields["port"].default)
    targets = [str(p).rsplit(":", 1)[-1].split("/")[0] for p in services()["ingest"]["ports"]]
    assert serving in targets


# --- compose: infrastructure ------------------------------------------------------------------


def test_kafka_runs_kraft_combined_without_zookeeper() -> None:
    env = environment(services()["kafka"])
    roles = {r.strip() for r in (env.get("KAFKA_PROCESS_ROLES") or "").split(",")}
    assert roles == {"broker", "controller"}
    voters = env.get("KAFKA_CONTROLLER_QUORUM_VOTERS") or ""
    assert voters.split("@")[0] == env.get("KAFKA_NODE_ID")
    assert "CONTROLLER" in (env.get("KAFKA_CONTROLLER_LISTENER_NAMES") or "")
    assert "zookeeper" not in COMPOSE_FILE.read_text(encoding="utf-8").lower()


def test_kafka_cluster_id_is_a_base64_uuid() -> None:
    cluster_id = environment(services()["kafka"]).get("CLUSTER_ID") or ""
    try:
        raw = base64.urlsafe_b64decode(cluster_id + "==")
    except (binascii.Error, ValueError):
        raw = b""
    assert len(cluster_id) == 22 and len(raw) == 16, f"bad CLUSTER_ID {cluster_id!r}"


def test_kafka_advertises_what_netral_bootstraps_from() -> None:
    advertised = environment(services()["kafka"]).get("KAFKA_ADVERTISED_LISTENERS") or ""
    endpoints = {listener.split("://", 1)[-1] for listener in advertised.split(",")}
    for name, svc in netral_services().items():
        bootstrap = interpolated(environment(svc)["NETRAL_KAFKA_BOOTSTRAP"] or "")
        assert set(bootstrap.split(",")) <= endpoints, f"{name} bootstraps from {bootstrap}"


def test_single_node_kafka_replicates_once() -> None:
    env = environment(services()["kafka"])
    factors = {k: v for k, v in env.items() if k.endswith(("REPLICATION_FACTOR", "MIN_ISR"))}
    assert factors and set(factors.values()) == {"1"}, factors
    for name, svc in netral_services().items():
        assert environment(svc).get("NETRAL_KAFKA_REPLICATION", "1") == "1", name


def test_redis_persists_with_append_only_file() -> None:
    redis = services()["redis"]
    words = command_words(redis)
    assert "--appendonly" in words and words[words.index("--appendonly") + 1] == "yes"
    assert any(v.endswith(":/data") for v in redis.get("volumes", [])), "AOF dir is no volume"


# --- compose-spec schema (the copy shipped inside the check-jsonschema dev dependency) ---------


def test_compose_matches_the_compose_spec_schema() -> None:
    import jsonschema

    # Located through the distribution's files, not imported: its CLI module needs a newer
    # click than faust allows, and only the bundled schema file is wanted here.
    schema_path = Path(
        str(
            metadata.distribution("check-jsonschema").locate_file(
                "check_jsonschema/builtin_schemas/vendor/compose-spec.json"
            )
        )
    )
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(compose())
    ]
    assert not errors, "\n".join(errors)


# --- Dockerfile -------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with comments dropped and continuations joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    lines = (line.strip() for line in text.splitlines())
    return [
        (word.upper(), rest.strip())
        for word, _, rest in (line.partition(" ") for line in lines if line and line[0] != "#")
    ]


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction, args in dockerfile_instructions():
        if instruction == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((instruction, args))
    return stages


def test_dockerfile_is_multi_stage_on_python_311_slim() -> None:
    args = {
        k: v
        for instr, rest in dockerfile_instructions()
        if instr == "ARG" and "=" in rest
        for k, _, v in [rest.partition("=")]
    }
    stages = dockerfile_stages()
    assert len(stages) >= 2, "build wheels in one stage, run from a slim one"
    for stage in stages:
        base = INTERPOLATION.sub(lambda m: args.get(m.group("name"), ""), stage[0][1].split()[0])
        assert base.startswith("python:3.11-slim"), base


def test_dockerfile_runtime_stage_is_non_root_and_constrained() -> None:
    final = dockerfile_stages()[-1]
    users = [args.split(":")[0] for instr, args in final if instr == "USER"]
    assert users and users[-1] not in {"root", "0"}, f"final stage runs as {users or 'root'}"
    installs = [args for instr, args in final if instr == "RUN" and "pip install" in args]
    constrained = re.compile(r"(-c|--constraint)[ =]\S*constraints\.txt")
    assert installs and all(constrained.search(a) for a in installs), installs
    assert any(instr == "COPY" and "deploy/config" in args for instr, args in final)


def test_dockerfile_entrypoint_and_default_command() -> None:
    final = dict(dockerfile_stages()[-1])
    assert json.loads(final["ENTRYPOINT"]) == ["netral"]
    assert json.loads(final["CMD"])[0] in SUBCOMMANDS


def test_dockerfile_netral_env_vars_are_real_settings_fields() -> None:
    names = {
        pair.split("=", 1)[0]
        for instr, args in dockerfile_instructions()
        if instr == "ENV"
        for pair in args.split()
    }
    unknown = sorted(n for n in names if n.startswith("NETRAL_") and n not in settings_fields())
    assert not unknown, f"Dockerfile sets NETRAL_* variables no settings class reads: {unknown}"


def test_dockerignore_keeps_what_the_dockerfile_copies() -> None:
    patterns = [
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    sources = [
        word
        for instr, args in dockerfile_instructions()
        if instr == "COPY" and "--from" not in args
        for word in args.split()[:-1]
        if not word.startswith("--")
    ]
    sources += re.findall(r"type=bind,source=([^,\s]+)", DOCKERFILE.read_text(encoding="utf-8"))
    ignored = [
        src
        for src in sources
        for pattern in patterns
        if not pattern.startswith("!")
        and any(fnmatch.fnmatch(p, pattern) for p in _path_prefixes(src))
    ]
    assert not ignored, f".dockerignore drops files the Dockerfile copies: {ignored}"


def _path_prefixes(path: str) -> list[str]:
    parts = Path(path.rstrip("/")).parts
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]
