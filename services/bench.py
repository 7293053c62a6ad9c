"""``netral bench``: throughput, latency and memory of the pipeline, all measured in one run.

1. the ceiling: a raw aiokafka pass-through (consume, decode, encode, produce, commit);
2. the classify core alone, per core;
3. each stage alone: ingest (HTTP -> topic), the classify worker, the alert worker;
4. the whole pipeline, HTTP ingest to case state;
5. latency (event accepted -> verdict, and -> notification) at fixed offered loads;
6. peak RSS of each service.

It starts what it needs (embedded broker and Redis unless the settings name others), uses its own
topics and Redis namespace, and stops everything it started.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from aiohttp import web
from aiokafka import TopicPartition

from services import runtime
from services.demo import DEMO_EVENTS, load_events
from shared import codec, embedded
from shared.kafka import ensure_topics, make_consumer, make_producer, send_batch
from shared.schema import Verdict
from shared.settings import KafkaSettings

# Grouping timers at zero (as the issue asks for the latency measurement); a 2 s dedup bucket so
# that new cases keep opening during a run.
BENCH_ROUTING = """
version: bench
oversight_body: BKN
election_authority: Bawaslu
chain:
  - {name: one, notify: [direct_superior], ack_within: 72h}
  - {name: two, notify: [direct_superior, agency_hr], ack_within: 72h}
  - {name: three, notify: [ppk, agency_hr], ack_within: 24h}
start_level: {low: 1, medium: 2, high: 3}
dedup: {by: [account_id, category, contestant], bucket: 2s}
route: {receiver: ops, group_wait: 0s, group_interval: 5m, repeat_interval: 24h}
receivers:
  - {name: ops, channels: [webhook]}
"""


@dataclass
class Bench:
    infra: runtime.Infra
    workdir: Path
    events: int
    results: dict[str, Any] = field(default_factory=dict)
    cpu_s: dict[str, float] = field(default_factory=dict)

    def kafka(self, tag: str) -> KafkaSettings:
        return KafkaSettings(
            bootstrap=self.infra.bootstrap,
            partitions=4,
            idempotent=False,
            events_topic=f"bench-{tag}.events",
            verdicts_topic=f"bench-{tag}.verdicts",
            cases_topic=f"bench-{tag}.cases",
            dlq_topic=f"bench-{tag}.dlq",
        )

    def env(self, kafka: KafkaSettings, **extra: str) -> dict[str, str]:
        prefix = f"{self.infra.redis_prefix}bench-{uuid.uuid4().hex[:6]}:"
        settings = {
            "NETRAL_LOG_LEVEL": "WARNING",
            "NETRAL_ALERT_LOG_CHANNEL": "false",
            "NETRAL_REF_ROUTING": str(self.workdir / "routing.yaml"),
            "NETRAL_INGEST_DEDUP_TTL_S": "3600",
        }
        return runtime.service_env(kafka, self.infra.redis_url, prefix, **{**settings, **extra})


def corpus(count: int) -> list[dict[str, Any]]:
    """``count`` demo-like events (registered accounts, real texts) with fresh ids and times."""
    from shared.registry import load_registry
    from shared.settings import ReferenceSettings

    registry = load_registry(ReferenceSettings().registry)
    base = [e for e in load_events(DEMO_EVENTS) if registry.lookup(e["platform"], e["account_id"])]
    now = datetime.now(UTC).isoformat()
    run = uuid.uuid4().hex[:8]
    return [
        {**base[n % len(base)], "event_id": f"bench-{run}-{n}", "created_at": now}
        for n in range(count)
    ]


# 1. the ceiling ---------------------------------------------------------------------------------


async def raw_passthrough(bench: Bench) -> float:
    kafka = bench.kafka("raw")
    source, sink = kafka.events_topic, kafka.verdicts_topic
    await ensure_topics(kafka, [source, sink])
    records = [(e["account_id"].encode(), orjson.dumps(e)) for e in corpus(bench.events)]
    producer = make_producer(kafka, "bench-raw")
    await producer.start()
    await send_batch(producer, source, records)
    consumer = make_consumer(
        kafka, source, group_id=f"bench-raw-{uuid.uuid4().hex[:6]}", max_poll_records=2000
    )
    await consumer.start()
    done, started = 0, None
    try:
        while done < len(records):
            batches = await consumer.getmany(timeout_ms=500, max_records=2000)
            if not batches:
                continue
            started = started or time.perf_counter()
            out = []
            for batch in batches.values():
                for record in batch:
                    event = orjson.loads(record.value)
                    event["seen"] = True
                    out.append((record.key, orjson.dumps(event)))
            await send_batch(producer, sink, out)
            await consumer.commit()
            done += len(out)
        return done / (time.perf_counter() - (started or time.perf_counter()))
    finally:
        await consumer.stop()
        await producer.stop()


# 2. the classify core ---------------------------------------------------------------------------


def classify_core(bench: Bench) -> float:
    from services.classify.core import classify
    from services.classify.main import load
    from shared.schema import Event
    from shared.settings import ClassifySettings

    policy = load(ClassifySettings())
    events = [codec.convert(e, Event) for e in corpus(min(bench.events, 20_000))]
    now = datetime.now(UTC)
    started = time.process_time()
    for event in events:
        classify(event, policy, now)
    return len(events) / (time.process_time() - started)


# 3. stages alone ---------------------------------------------------------------------------------


@asynccontextmanager
async def alone(
    bench: Bench, name: str, **extra: str
) -> AsyncIterator[tuple[KafkaSettings, runtime.ServiceProcess]]:
    """One service on topics of its own, ready, stopped afterwards."""
    kafka = bench.kafka(f"{name}-{uuid.uuid4().hex[:4]}")
    await ensure_topics(kafka)
    env = bench.env(kafka, **extra)
    service = runtime.spawn(name, env, embedded.free_port(), bench.workdir / f"{name}.log")
    try:
        await asyncio.to_thread(runtime.wait_ready, [service])
        started = cpu_seconds(service.proc.pid)
        yield kafka, service
        bench.cpu_s[name] = cpu_seconds(service.proc.pid) - started
    finally:
        runtime.stop_services([service])


async def ingest_stage(bench: Bench) -> tuple[float, float]:
    async with alone(bench, "ingest") as (_, service):
        rate = await post_all(service.url, corpus(bench.events), batch=500, concurrency=4)
        return rate, peak_rss_mb(service.proc.pid)


async def post_all(url: str, events: list[dict[str, Any]], batch: int, concurrency: int) -> float:
    """Post in batches with ``concurrency`` clients; return accepted events per second."""
    chunks = [events[i : i + batch] for i in range(0, len(events), batch)]
    queue: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()
    for chunk in chunks:
        queue.put_nowait(chunk)
    accepted = 0

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal accepted
        while not queue.empty():
            chunk = queue.get_nowait()
            async with session.post(f"{url}/v1/events", data=orjson.dumps(chunk)) as response:
                accepted += (await response.json())["accepted"]

    started = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return accepted / (time.perf_counter() - started)


async def classify_stage(bench: Bench) -> tuple[float, float]:
    async with alone(bench, "classify") as (kafka, service):
        events = enriched(corpus(bench.events))
        rate = await timed_stage(kafka, kafka.events_topic, events, kafka.verdicts_topic)
        return rate, peak_rss_mb(service.proc.pid)


async def alert_stage(bench: Bench) -> tuple[float, float]:
    from services.classify.core import classify
    from services.classify.main import load
    from shared.schema import Event
    from shared.settings import ClassifySettings

    policy = load(ClassifySettings())
    now = datetime.now(UTC)
    verdicts = [
        orjson.loads(codec.encode(classify(codec.convert(e, Event), policy, now)))
        for e in enriched(corpus(bench.events))
    ]
    async with (
        Receiver() as hook,
        alone(bench, "alert", NETRAL_ALERT_WEBHOOK_URL=hook.url) as (kafka, service),
    ):
        started = time.perf_counter()
        await produce_json(kafka, kafka.verdicts_topic, verdicts)
        await wait_metric(service.url, "netral_alert_verdicts_total", len(verdicts), 600)
        rate = len(verdicts) / (time.perf_counter() - started)
        return rate, peak_rss_mb(service.proc.pid)


def enriched(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What ingest would publish: the registry enrichment and the received time."""
    from shared.registry import load_registry
    from shared.settings import ReferenceSettings

    registry = load_registry(ReferenceSettings().registry)
    now = datetime.now(UTC).isoformat()
    out = []
    for event in events:
        asn = registry.lookup(event["platform"], event["account_id"])
        out.append({**event, "received_at": now, "asn": orjson.loads(orjson.dumps(asn))})
    return out


async def produce_json(kafka: KafkaSettings, topic: str, items: list[dict[str, Any]]) -> None:
    producer = make_producer(kafka, "bench-feed")
    await producer.start()
    try:
        await send_batch(
            producer, topic, ((i["account_id"].encode(), orjson.dumps(i)) for i in items)
        )
    finally:
        await producer.stop()


async def timed_stage(
    kafka: KafkaSettings, source: str, items: list[dict[str, Any]], sink: str
) -> float:
    """Feed ``items`` into ``source`` and time until as many records reached ``sink``."""
    reader = make_consumer(kafka, group_id=None, fetch_max_wait_ms=50)
    await reader.start()
    try:
        await reader.topics()
        partitions = [TopicPartition(sink, p) for p in reader.partitions_for_topic(sink) or ()]
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        started = time.perf_counter()
        await produce_json(kafka, source, items)
        seen = 0
        deadline = time.monotonic() + 600
        while seen < len(items) and time.monotonic() < deadline:
            batches = await reader.getmany(timeout_ms=200, max_records=5000)
            seen += sum(len(b) for b in batches.values())
        return seen / (time.perf_counter() - started)
    finally:
        await reader.stop()


async def wait_metric(url: str, name: str, target: float, timeout_s: float) -> float:
    deadline = time.monotonic() + timeout_s
    value = 0.0
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            async with session.get(f"{url}/metrics") as response:
                value = metric_value(await response.text(), name)
            if value >= target:
                return value
            await asyncio.sleep(0.1)
    return value


def metric_value(text: str, name: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name) and not line.startswith("#") and "_created" not in line
    )


class Receiver:
    """A loopback webhook that records when each notification arrived."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, dict[str, Any]]] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> Receiver:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_post("/hook", self._receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        port = embedded.free_port()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}/hook"
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        self.arrivals.append((time.time(), await request.json()))
        return web.json_response({"ok": True})

    async def quiet(self, seconds: float, timeout_s: float) -> None:
        """Wait until nothing has arrived for ``seconds`` (at most ``timeout_s``)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            last = self.arrivals[-1][0] if self.arrivals else 0.0
            if time.time() - last >= seconds:
                return
            await asyncio.sleep(0.2)


# 4-6. the whole pipeline -------------------------------------------------------------------------


@dataclass
class Pipeline:
    services: list[runtime.ServiceProcess]
    kafka: KafkaSettings
    hook: Receiver

    def url(self, name: str) -> str:
        return next(s.url for s in self.services if s.name == name)


async def pipeline_max(bench: Bench, pipe: Pipeline) -> float:
    events = corpus(bench.events)
    before = await wait_metric(pipe.url("alert"), "netral_alert_verdicts_total", 0, 1)
    started = time.perf_counter()
    await post_all(pipe.url("ingest"), events, batch=500, concurrency=4)
    done = await wait_metric(
        pipe.url("alert"), "netral_alert_verdicts_total", before + len(events), 600
    )
    return (done - before) / (time.perf_counter() - started)


async def latency_at(pipe: Pipeline, rate: float, seconds: float) -> dict[str, Any]:
    """Offer ``rate`` events/s for ``seconds`` in 20 ms ticks; measure accepted -> verdict seen,
    and accepted -> notification received for cases opened by these events."""
    kafka = pipe.kafka
    reader = make_consumer(kafka, group_id=None, fetch_max_wait_ms=5)
    await reader.start()
    await reader.topics()
    partitions = [
        TopicPartition(kafka.verdicts_topic, p)
        for p in reader.partitions_for_topic(kafka.verdicts_topic) or ()
    ]
    reader.assign(partitions)
    # (the embedded broker's "end" is the start of the last batch; older verdicts that replay
    # are ignored below because only this run's event ids are timed)
    await reader.seek_to_end(*partitions)
    received: dict[str, float] = {}
    verdict_ms: list[float] = []
    first_arrival = len(pipe.hook.arrivals)
    stop = asyncio.Event()

    async def read() -> None:
        while not stop.is_set():
            batches = await reader.getmany(timeout_ms=50)
            now = time.time()
            for batch in batches.values():
                for record in batch:
                    verdict = codec.decode(record.value, Verdict)
                    if verdict.event_id in received:
                        verdict_ms.append((now - received[verdict.event_id]) * 1000)

    reading = asyncio.create_task(read())
    events = corpus(int(rate * seconds) + 1)
    tick = 0.02
    per_tick = max(1, round(rate * tick))
    async with aiohttp.ClientSession() as session:
        start = time.perf_counter()
        for n in range(0, len(events), per_tick):
            sent_at = time.time()
            # fresh timestamps put the events in fresh 2 s dedup buckets, so cases open (and
            # notify) throughout the run and the notification path can be timed
            stamp = datetime.now(UTC).isoformat()
            chunk = [{**e, "created_at": stamp} for e in events[n : n + per_tick]]
            async with session.post(
                f"{pipe.url('ingest')}/v1/events", data=orjson.dumps(chunk)
            ) as r:
                body = await r.json()
            for result in body["results"]:
                if result["status"] == "accepted":
                    received[result["event_id"]] = sent_at
            target = start + (n // per_tick + 1) * tick
            await asyncio.sleep(max(0.0, target - time.perf_counter()))
    await asyncio.sleep(3.0)
    stop.set()
    await reading
    await reader.stop()
    notify_ms = [
        (arrived - received[payload["case"]["first_event_id"]]) * 1000
        for arrived, payload in pipe.hook.arrivals[first_arrival:]
        if payload["case"]["first_event_id"] in received
    ]
    return {
        "offered_eps": rate,
        "verdict": percentiles(verdict_ms),
        "notification": percentiles(notify_ms),
    }


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "n": 0}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": at(0.95),
        "p99": at(0.99),
        "n": len(ordered),
    }


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far. On a shared machine this is the
    steadier measure: contention stretches wall time far more than it adds CPU per event."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_jiffies(proc_stat: str) -> tuple[int, int]:
    """(busy, total) CPU time of all cores so far, from the text of ``/proc/stat``: what the
    whole machine (broker, Redis and this process included) spent, not one service."""
    user, nice, system, idle, iowait, irq, softirq, steal = (
        int(n) for n in proc_stat.split("\n", 1)[0].split()[1:9]
    )
    total = user + nice + system + idle + iowait + irq + softirq + steal
    return total - idle - iowait, total


def machine_cpu() -> tuple[int, int]:
    return machine_jiffies(Path("/proc/stat").read_text())


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    busy, total = after[0] - before[0], after[1] - before[1]
    return round(busy / total, 3) if total > 0 else float("nan")


def per_event_us(seconds: float, events: int) -> float:
    return round(seconds * 1e6 / events, 1)


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return float("nan")


async def run(events: int, loads: list[float], log: Callable[[str], None]) -> dict[str, Any]:
    workdir = Path(os.environ.get("NETRAL_BENCH_DIR", "var/bench"))
    await asyncio.to_thread(prepare, workdir)
    infra = await asyncio.to_thread(runtime.start_infra, None, workdir / "broker.log")
    bench = Bench(infra, workdir, events)
    results: dict[str, Any] = {"events": events, "machine": machine()}
    results["load_average_at_start"] = os.getloadavg()[0]
    try:
        log("1/6 raw aiokafka pass-through")
        results["raw_passthrough_eps"] = round(await raw_passthrough(bench))
        log("2/6 classify core")
        results["classify_core_eps"] = round(classify_core(bench))
        log("3/6 stages alone")
        ingest_eps, ingest_rss = await ingest_stage(bench)
        classify_eps, classify_rss = await classify_stage(bench)
        alert_eps, alert_rss = await alert_stage(bench)
        results.update(
            ingest_eps=round(ingest_eps),
            classify_worker_eps=round(classify_eps),
            alert_worker_eps=round(alert_eps),
        )
        log("4/6 whole pipeline")
        kafka = bench.kafka(f"pipe-{uuid.uuid4().hex[:4]}")
        await ensure_topics(kafka)
        async with Receiver() as hook:
            env = bench.env(kafka, NETRAL_ALERT_WEBHOOK_URL=hook.url)
            services = [
                runtime.spawn(n, env, embedded.free_port(), workdir / f"pipe-{n}.log")
                for n in runtime.SERVICES
            ]
            pipe = Pipeline(services, kafka, hook)
            try:
                await asyncio.to_thread(runtime.wait_ready, services)
                before = [cpu_seconds(s.proc.pid) for s in services]
                machine_before = machine_cpu()
                results["pipeline_eps"] = round(await pipeline_max(bench, pipe))
                # Whether the pipeline ran out of cores or waited on something: a share well
                # under 1.0 at the maximum means a stall, not a CPU limit.
                results["machine_cpu_busy_in_pipeline"] = busy_share(machine_before, machine_cpu())
                results["cpu_us_per_event"] = {
                    **{
                        f"{name}_alone": per_event_us(spent, events)
                        for name, spent in bench.cpu_s.items()
                    },
                    **{
                        f"{s.name}_in_pipeline": per_event_us(cpu_seconds(s.proc.pid) - b, events)
                        for s, b in zip(services, before, strict=True)
                    },
                }
                log("5/6 latency at offered loads")
                curve = []
                for share in loads:
                    # the notifications the previous test caused must not queue ahead of these
                    await hook.quiet(seconds=2.0, timeout_s=120.0)
                    rate = max(1.0, results["pipeline_eps"] * share)
                    curve.append({"share": share, **await latency_at(pipe, rate, 10.0)})
                results["latency_curve"] = curve
                half = min(curve, key=lambda c: abs(c["share"] - 0.5))
                results["latency_ms"] = {
                    "verdict": half["verdict"],
                    "notification": half["notification"],
                    **{k: half["verdict"][k] for k in ("p50", "p95", "p99")},
                }
                log("6/6 peak RSS")
                results["rss_mb"] = {
                    "ingest": max(ingest_rss, peak_rss_mb(services[0].proc.pid)),
                    "classify": max(classify_rss, peak_rss_mb(services[1].proc.pid)),
                    "alert": max(alert_rss, peak_rss_mb(services[2].proc.pid)),
                }
            finally:
                runtime.stop_services(services)
        results["classify_share_of_raw"] = round(
            results["classify_worker_eps"] / results["raw_passthrough_eps"], 3
        )
        results["load_average_at_end"] = os.getloadavg()[0]
        return results
    finally:
        await asyncio.to_thread(infra.stop)


def prepare(workdir: Path) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "routing.yaml").write_text(BENCH_ROUTING)


def machine() -> dict[str, Any]:
    import platform

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def latency_svg(runs: list[list[dict[str, Any]]], width: int = 960, height: int = 360) -> str:
    """A small SVG of p50 and p99 latency against offered load, one panel for event to verdict
    and one for event to notification, one line per run, drawn by hand so the benchmark needs
    no plotting library."""
    half = width // 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        *_panel(runs, "verdict", "event to verdict (ms)", 0, half, height),
        *_panel(runs, "notification", "event to notification (ms)", half, half, height),
        "</svg>",
    ]
    return "\n".join(parts)


def _panel(
    runs: list[list[dict[str, Any]]], measure: str, title: str, x0: int, width: int, height: int
) -> list[str]:
    points = [(c["offered_eps"], c[measure]["p99"]) for r in runs for c in r if c[measure]["n"]]
    max_x = max(p[0] for p in points) * 1.05
    max_y = max(p[1] for p in points) * 1.1
    left, bottom, right, top = x0 + 60, height - 40, x0 + width - 20, 20

    def xy(x: float, y: float) -> str:
        px = left + (right - left) * x / max_x
        py = bottom - (bottom - top) * y / max_y
        return f"{px:.1f},{py:.1f}"

    middle = (top + bottom) / 2
    parts = [
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="black"/>',
        f'<line x1="{left}" y1="{bottom}" x2="{left}" y2="{top}" stroke="black"/>',
        f'<text x="{(left + right) / 2}" y="{height - 8}" text-anchor="middle">'
        "offered load (events/s)</text>",
        f'<text x="{x0 + 14}" y="{middle}" transform="rotate(-90 {x0 + 14} {middle})" '
        f'text-anchor="middle">{title}</text>',
    ]
    for step in range(5):
        value_x, value_y = max_x * step / 4, max_y * step / 4
        x, _ = xy(value_x, 0).split(",")
        _, y = xy(0, value_y).split(",")
        parts.append(f'<text x="{x}" y="{bottom + 14}" text-anchor="middle">{value_x:.0f}</text>')
        parts.append(f'<text x="{left - 6}" y="{y}" text-anchor="end">{value_y:.0f}</text>')
    for run in runs:
        for key, colour in (("p50", "#1f77b4"), ("p99", "#d62728")):
            line = " ".join(xy(c["offered_eps"], c[measure][key]) for c in run if c[measure]["n"])
            parts.append(
                f'<polyline points="{line}" fill="none" stroke="{colour}" '
                'stroke-width="1.5" opacity="0.8"/>'
            )
    parts.append(f'<text x="{right - 120}" y="{top + 12}" fill="#1f77b4">p50 (3 runs)</text>')
    parts.append(f'<text x="{right - 120}" y="{top + 26}" fill="#d62728">p99 (3 runs)</text>')
    return parts
