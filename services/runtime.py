"""Running the whole pipeline on one machine: infrastructure (embedded broker, Redis), topics, and
ingest, classify and alert as separate processes, stopped in flow order.

Used by ``netral up``, ``netral demo``, the end-to-end tests and the benchmarks.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from shared import embedded
from shared.kafka import ensure_topics
from shared.settings import KafkaSettings

log = logging.getLogger(__name__)

SERVICES = ("ingest", "classify", "alert")


@dataclass
class Infra:
    """Where the broker and Redis are, and which of them this process started."""

    bootstrap: str
    redis_url: str
    redis_prefix: str
    embedded_broker: bool
    managed: list[embedded.Managed] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        env = {
            "NETRAL_KAFKA_BOOTSTRAP": self.bootstrap,
            "NETRAL_REDIS_URL": self.redis_url,
            "NETRAL_REDIS_PREFIX": self.redis_prefix,
        }
        if self.embedded_broker:
            env["NETRAL_KAFKA_IDEMPOTENT"] = "false"
        return env

    def stop(self) -> None:
        if self.embedded_broker:
            _drop_namespace(self.redis_url, self.redis_prefix)
        for managed in reversed(self.managed):
            managed.stop()


def start_infra(env: dict[str, str] | None = None, broker_log: Path | None = None) -> Infra:
    """Reuse the broker and Redis named by the environment; start what is missing.

    With an embedded (memory-only) broker, Redis keys get a prefix unique to this run: the
    derived state must not outlive the topics it was derived from.
    """
    env = dict(os.environ if env is None else env)
    managed: list[embedded.Managed] = []
    bootstrap = env.get("NETRAL_KAFKA_BOOTSTRAP")
    embedded_broker = not bootstrap
    if embedded_broker:
        bootstrap, broker = embedded.start_broker(log_path=broker_log)
        managed.append(broker)
    try:
        redis_url, redis_proc = embedded.resolve_redis(env.get("NETRAL_REDIS_URL"))
    except Exception:
        for item in managed:
            item.stop()
        raise
    if redis_proc is not None:
        managed.append(redis_proc)
    prefix = env.get("NETRAL_REDIS_PREFIX") or "netral:"
    if embedded_broker:
        prefix = f"{prefix}run-{int(time.time())}-{os.getpid()}:"
    assert bootstrap is not None
    return Infra(bootstrap, redis_url, prefix, embedded_broker, managed)


def create_topics(infra: Infra, partitions: int | None = None) -> None:
    overrides = {"bootstrap": infra.bootstrap}
    if partitions is not None:
        overrides["partitions"] = str(partitions)
    kafka = KafkaSettings(**overrides)  # type: ignore[arg-type]
    asyncio.run(ensure_topics(kafka))


def service_env(
    kafka: KafkaSettings, redis_url: str, redis_prefix: str, **extra: str
) -> dict[str, str]:
    """The environment for a service process on these topics and this Redis namespace: the
    caller's environment without any NETRAL_* variable, then exactly these settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("NETRAL_")}
    env.update(
        {
            "NETRAL_KAFKA_BOOTSTRAP": kafka.bootstrap,
            "NETRAL_KAFKA_PARTITIONS": str(kafka.partitions),
            "NETRAL_KAFKA_IDEMPOTENT": str(kafka.idempotent).lower(),
            "NETRAL_KAFKA_EVENTS_TOPIC": kafka.events_topic,
            "NETRAL_KAFKA_VERDICTS_TOPIC": kafka.verdicts_topic,
            "NETRAL_KAFKA_CASES_TOPIC": kafka.cases_topic,
            "NETRAL_KAFKA_DLQ_TOPIC": kafka.dlq_topic,
            "NETRAL_KAFKA_CLIENT_ID_PREFIX": kafka.client_id_prefix,
            "NETRAL_REDIS_URL": redis_url,
            "NETRAL_REDIS_PREFIX": redis_prefix,
        }
    )
    env.update(extra)
    return env


@dataclass
class ServiceProcess:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    env: dict[str, str]
    restarts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def spawn(name: str, env: dict[str, str], port: int, log_path: Path) -> ServiceProcess:
    """Start ``netral <name>``: its stdout (alerts from the log channel) is inherited, its
    stderr (JSON logs) appended to ``log_path``."""
    child_env = {**env, f"NETRAL_{name.upper()}_PORT": str(port)}
    with open(log_path, "ab") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "services.cli", name],
            env=child_env,
            stderr=stderr,
            start_new_session=True,
        )
    return ServiceProcess(name, port, proc, child_env)


def wait_ready(services: list[ServiceProcess], timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    for service in services:
        while not _ready(service):
            if service.proc.poll() is not None:
                raise RuntimeError(
                    f"{service.name} exited with {service.proc.returncode} while starting"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"{service.name} not ready after {timeout_s:.0f}s")
            time.sleep(0.2)


def _ready(service: ServiceProcess) -> bool:
    try:
        with urllib.request.urlopen(f"{service.url}/readyz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def stop_services(services: list[ServiceProcess], timeout_s: float = 30.0) -> dict[str, int]:
    """SIGTERM in flow order (ingest first, so nothing new enters), then wait for each."""
    codes: dict[str, int] = {}
    for service in services:
        if service.proc.poll() is None:
            service.proc.send_signal(signal.SIGTERM)
            try:
                service.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                log.error(f"{service.name} did not stop within {timeout_s}s; killing it")
                service.proc.kill()
                service.proc.wait(5)
        codes[service.name] = service.proc.returncode
    return codes


def _drop_namespace(redis_url: str, prefix: str) -> None:
    from redis import Redis

    try:
        client = Redis.from_url(redis_url, socket_timeout=5)
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        for start in range(0, len(keys), 1000):
            client.unlink(*keys[start : start + 1000])
        client.close()
    except Exception as exc:  # cleanup must not hide the real exit status
        log.warning("could not remove the run's Redis keys", extra={"data": {"error": repr(exc)}})


@dataclass
class Stack:
    """Infrastructure plus the three services, as one thing to start, watch and stop."""

    infra: Infra
    services: list[ServiceProcess]
    logs: Path
    max_restarts: int = 5

    @classmethod
    def start(
        cls, state_dir: Path, extra_env: dict[str, str], ports: dict[str, int] | None
    ) -> Stack:
        logs = state_dir / "log"
        logs.mkdir(parents=True, exist_ok=True)
        infra = start_infra(broker_log=logs / "broker.log")
        services: list[ServiceProcess] = []
        try:
            create_topics(infra)
            env = {**os.environ, **infra.env(), **extra_env}
            for name in SERVICES:
                port = (ports or {}).get(name) or 0
                if not port or embedded.port_open("127.0.0.1", port):
                    port = embedded.free_port()
                services.append(spawn(name, env, port, logs / f"{name}.log"))
        except BaseException:
            stop_services(services)
            infra.stop()
            raise
        return cls(infra, services, logs)

    def service(self, name: str) -> ServiceProcess:
        return next(s for s in self.services if s.name == name)

    def kafka_settings(self) -> KafkaSettings:
        return KafkaSettings(bootstrap=self.infra.bootstrap)

    def supervise(self) -> None:
        """Restart a service that exited on its own (a fatal stop resumes from the last commit)."""
        for index, service in enumerate(self.services):
            code = service.proc.poll()
            if code is None:
                continue
            if service.restarts >= self.max_restarts:
                raise RuntimeError(f"{service.name} keeps exiting (last code {code}); see its log")
            log.warning(f"{service.name} exited with {code}; restarting")
            replacement = spawn(
                service.name, service.env, service.port, self.logs / f"{service.name}.log"
            )
            replacement.restarts = service.restarts + 1
            self.services[index] = replacement

    def stop(self) -> dict[str, int]:
        try:
            return stop_services(self.services)
        finally:
            self.infra.stop()
