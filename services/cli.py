"""``netral``: one entry point, one subcommand per process or tool."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger("netral")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="netral", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("ingest", help="run the ingest HTTP API")
    commands.add_parser("classify", help="run the classify worker (faust)")
    alert = commands.add_parser("alert", help="run the alert worker (faust), or 'alert rebuild'")
    alert.add_argument(
        "action",
        nargs="?",
        choices=["run", "rebuild"],
        default="run",
        help="rebuild: restore the Redis case view from the case log",
    )
    case = commands.add_parser("case", help="show a case or act on it (acknowledge, resolve...)")
    case.add_argument(
        "verb", choices=["show", "ack", "comment", "assign", "snooze", "resolve", "reopen"]
    )
    case.add_argument("case_id")
    case.add_argument("--by", default=os.environ.get("USER", "operator"), help="who acts")
    case.add_argument("--comment", default="")
    case.add_argument("--to", default=None, help="assign: the new assignee (a role or id)")
    case.add_argument("--until", default=None, help="snooze: RFC 3339 time")
    case.add_argument("--for", dest="for_", default=None, help="snooze: a duration like 4h")
    case.add_argument(
        "--outcome",
        default=None,
        choices=["confirmed", "false_positive", "dismissed", "not_asn_account", "out_of_scope"],
    )
    silence = commands.add_parser("silence", help="mute notifications matching labels for a while")
    silence.add_argument("verb", choices=["add", "list", "expire"])
    silence.add_argument("silence_id", nargs="?", default=None)
    silence.add_argument(
        "--match",
        action="append",
        default=[],
        help="label=value[,value] (account_id, category, severity, agency, unit, "
        "region, phase, contestant); repeatable",
    )
    silence.add_argument("--for", dest="for_", default="2h", help="how long, e.g. 30m, 2h, 1d")
    silence.add_argument("--by", default=os.environ.get("USER", "operator"))
    silence.add_argument("--reason", default="")
    commands.add_parser("topics", help="create the topics on the configured broker and exit")
    up = commands.add_parser("up", help="run the whole pipeline (embedded broker by default)")
    up.add_argument(
        "--demo", action="store_true", help="send the demo events once everything is ready"
    )
    up.add_argument("--state-dir", type=Path, default=Path("var"), help="where service logs go")
    demo = commands.add_parser(
        "demo", help="run the pipeline on the demo events, print a summary, stop"
    )
    demo.add_argument("--json", action="store_true", help="print the summary as one JSON line")
    demo.add_argument(
        "--events", type=Path, default=None, help="events file (default: the demo set)"
    )
    demo.add_argument("--state-dir", type=Path, default=Path("var"), help="where service logs go")
    demo.add_argument(
        "--timeout", type=float, default=120.0, help="seconds to wait for the pipeline"
    )
    replay = commands.add_parser(
        "replay", help="publish a JSONL file of events through ingest's pipeline"
    )
    replay.add_argument("file", type=Path)
    score = commands.add_parser("score", help="classify a JSONL file of events offline")
    score.add_argument("--in", dest="input", type=Path, required=True)
    score.add_argument("--out", type=Path, required=True)
    score.add_argument("--policy", type=Path, default=None)
    score.add_argument("--watchlist", type=Path, default=None)
    evaluate = commands.add_parser(
        "eval", help="precision/recall/F1 per category against gold files"
    )
    evaluate.add_argument(
        "--gold",
        type=Path,
        action="append",
        required=True,
        help="a gold JSONL file or a folder of them (repeatable)",
    )
    evaluate.add_argument("--policy", type=Path, default=None)
    evaluate.add_argument("--watchlist", type=Path, default=None)
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument(
        "--cv",
        type=int,
        default=0,
        metavar="K",
        help="K-fold cross-validation: each event scored by a model trained without it",
    )
    replay_dlq = commands.add_parser("replay-dlq", help="send dead letters back to their topics")
    replay_dlq.add_argument("--stage", choices=["classify", "alert"], default=None)
    replay_dlq.add_argument("--origin-topic", default=None)
    replay_dlq.add_argument(
        "--reason", default=None, help="only letters whose reason contains this"
    )
    replay_dlq.add_argument("--since", default=None, help="RFC 3339; only letters from then on")
    replay_dlq.add_argument("--until", default=None, help="RFC 3339; only letters before then")
    replay_dlq.add_argument("--dry-run", action="store_true", help="list what would be replayed")
    bench = commands.add_parser("bench", help="measure throughput, latency and memory")
    bench.add_argument("--json", action="store_true", help="print one JSON object last")
    bench.add_argument("--events", type=int, default=20_000, help="events per throughput test")
    bench.add_argument(
        "--loads",
        default="0.1,0.25,0.5,0.75",
        help="offered loads for the latency curve, as shares of the pipeline maximum",
    )
    training = commands.add_parser("train", help="fit the classifier's linear model")
    training.add_argument(
        "--gold",
        type=Path,
        action="append",
        required=True,
        help="labelled JSONL file or folder (repeatable)",
    )
    training.add_argument("--out", type=Path, required=True)
    training.add_argument("--policy", type=Path, default=None)
    training.add_argument("--watchlist", type=Path, default=None)
    routes = commands.add_parser("routes", help="routing tools")
    routes_commands = routes.add_subparsers(dest="routes_command", required=True)
    routes_test = routes_commands.add_parser("test", help="show where a sample case would go")
    for key in ("category", "severity", "agency", "unit", "region", "phase"):
        routes_test.add_argument(f"--{key}", default="")
    routes_test.add_argument("--employee", default=None, help="resolve roles for this employee id")
    routes_test.add_argument("--routing", type=Path, default=None)
    desk = commands.add_parser("desk", help="case desk users: make a password hash, add a user")
    desk_commands = desk.add_subparsers(dest="desk_command", required=True)
    desk_commands.add_parser("passwd", help="ask for a password and print its hash")
    desk_user = desk_commands.add_parser("user", help="add a user to a desk users file")
    desk_user.add_argument("user_verb", choices=["add"])
    desk_user.add_argument("username")
    desk_user.add_argument(
        "--role", required=True, choices=["supervisor", "operations", "administrator"]
    )
    desk_user.add_argument(
        "--employee", default=None, help="supervisor: their registry employee id"
    )
    desk_user.add_argument("--display-name", default="")
    desk_user.add_argument(
        "--file", type=Path, default=None, help="default: NETRAL_ALERT_DESK_USERS"
    )
    args = parser.parse_args(argv)
    handler = {
        "ingest": _ingest,
        "classify": _classify,
        "alert": _alert,
        "topics": _topics,
        "up": _up,
        "demo": _demo,
        "replay": _replay,
        "score": _score,
        "eval": _eval,
        "train": _train,
        "bench": _bench,
        "replay-dlq": _replay_dlq,
        "case": _case,
        "silence": _silence,
        "routes": _routes,
        "desk": _desk,
    }[args.command]
    if args.command in ("ingest", "classify", "alert"):
        from shared.lifecycle import use_fast_event_loop

        use_fast_event_loop()
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        return 130


def _ingest(_: argparse.Namespace) -> int:
    from services.ingest import main as ingest
    from shared.settings import IngestSettings

    return ingest.run(IngestSettings())


def _classify(_: argparse.Namespace) -> int:
    from services.classify import main as classify
    from shared.settings import ClassifySettings

    return classify.run(ClassifySettings())


def _alert(args: argparse.Namespace) -> int:
    from services.alert import main as alert
    from shared.settings import AlertSettings

    if args.action == "rebuild":
        from services.alert import admin

        rebuilt = asyncio.run(admin.rebuild(AlertSettings()))
        print(orjson.dumps(rebuilt).decode())
        return 0
    return alert.run(AlertSettings())


def _case(args: argparse.Namespace) -> int:
    from datetime import datetime, timedelta

    from services.alert import admin
    from services.alert.cases import Action, ActionRefused
    from services.alert.route import seconds
    from shared.clock import utc_now
    from shared.errors import InvalidReferenceData
    from shared.settings import AlertSettings

    settings = AlertSettings()
    if args.verb in ("show", "referral"):
        found = asyncio.run(admin.show(settings, args.case_id))
        if found is None:
            print(f"netral case: no case {args.case_id}", file=sys.stderr)
            return 1
        if args.verb == "referral":
            from services.alert.referral import referral_pack
            from services.alert.route import load_routing

            found = referral_pack(
                found["case"],
                found["timeline"],
                found["deliveries"],
                load_routing(settings.ref.routing),
                utc_now(),
            )
        print(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode())
        return 0
    until = None
    try:
        if args.until:
            until = datetime.fromisoformat(args.until)
        elif args.for_:
            until = utc_now() + timedelta(seconds=seconds(args.for_))
    except (ValueError, InvalidReferenceData) as exc:
        print(f"netral case: {exc}", file=sys.stderr)
        return 2
    kinds = {"ack": "acknowledge", "assign": "reassign"}
    verb = kinds.get(args.verb, args.verb)
    action = Action(verb, args.by, args.comment, args.to, until, args.outcome)
    try:
        entry = asyncio.run(admin.act(settings, args.case_id, action))
    except ActionRefused as exc:
        print(f"netral case: {exc}", file=sys.stderr)
        return 1
    except KeyError:
        print(f"netral case: no case {args.case_id}", file=sys.stderr)
        return 1
    print(orjson.dumps(entry).decode())
    return 0


def _desk(args: argparse.Namespace) -> int:
    import getpass

    from services.alert.desk.users import add_user, hash_password
    from shared.errors import InvalidReferenceData
    from shared.registry import load_registry
    from shared.settings import AlertSettings

    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("netral desk: the passwords differ", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        print("netral desk: use at least 8 characters", file=sys.stderr)
        return 2
    if args.desk_command == "passwd":
        print(hash_password(password))
        return 0
    settings = AlertSettings()
    path = args.file or settings.desk_users
    if path is None:
        print(
            "netral desk: which users file? give --file or NETRAL_ALERT_DESK_USERS", file=sys.stderr
        )
        return 2
    try:
        user = add_user(
            path,
            args.username,
            args.role,
            password,
            args.employee,
            args.display_name,
            load_registry(settings.ref.registry),
        )
    except InvalidReferenceData as exc:
        print(f"netral desk: {exc}", file=sys.stderr)
        return 1
    print(f"added {user.username} ({user.role}) to {path}")
    return 0


def _silence(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from services.alert import admin
    from services.alert.route import seconds
    from shared.clock import utc_now
    from shared.errors import InvalidMessage, InvalidReferenceData
    from shared.settings import AlertSettings

    settings = AlertSettings()
    try:
        if args.verb == "list":
            silences = asyncio.run(admin.list_silences(settings))
            print(orjson.dumps(silences, option=orjson.OPT_INDENT_2).decode())
        elif args.verb == "expire":
            if not args.silence_id:
                raise InvalidMessage("which silence? give its id")
            print(
                orjson.dumps(asyncio.run(admin.expire_silence(settings, args.silence_id))).decode()
            )
        else:
            matchers = admin.parse_matchers(args.match)
            ends = utc_now() + timedelta(seconds=seconds(args.for_))
            added = asyncio.run(admin.add_silence(settings, matchers, ends, args.by, args.reason))
            print(orjson.dumps(added).decode())
    except (InvalidMessage, InvalidReferenceData) as exc:
        print(f"netral silence: {exc}", file=sys.stderr)
        return 2
    except KeyError as exc:
        print(f"netral silence: no silence {exc}", file=sys.stderr)
        return 1
    return 0


def _topics(_: argparse.Namespace) -> int:
    from shared import logging as netral_logging
    from shared.kafka import ensure_topics
    from shared.settings import KafkaSettings, LogSettings

    netral_logging.configure(LogSettings(), "topics")
    created = asyncio.run(ensure_topics(KafkaSettings()))
    print(orjson.dumps({"created": created}).decode())
    return 0


def _replay(args: argparse.Namespace) -> int:
    from services.ingest.main import replay_file
    from shared import logging as netral_logging
    from shared.settings import IngestSettings

    settings = IngestSettings()
    netral_logging.configure(settings.log, "replay")
    if not args.file.exists():
        print(f"netral replay: {args.file}: no such file", file=sys.stderr)
        return 2
    return asyncio.run(replay_file(settings, args.file))


def _score(args: argparse.Namespace) -> int:
    from services.classify.offline import score_file
    from shared.settings import ReferenceSettings

    ref = ReferenceSettings()
    return score_file(
        args.input, args.out, args.policy or ref.policy, args.watchlist or ref.watchlist
    )


def _replay_dlq(args: argparse.Namespace) -> int:
    from datetime import datetime

    from services import replay_dlq
    from shared.settings import KafkaSettings

    try:
        since = datetime.fromisoformat(args.since) if args.since else None
        until = datetime.fromisoformat(args.until) if args.until else None
    except ValueError as exc:
        print(f"netral replay-dlq: {exc}", file=sys.stderr)
        return 2
    chosen = replay_dlq.Filter(args.stage, args.origin_topic, args.reason, since, until)
    kafka = KafkaSettings()
    letters = replay_dlq.replayable(asyncio.run(replay_dlq.read_all(kafka)), chosen, kafka)
    for letter in letters:
        print(
            orjson.dumps(
                {
                    k: getattr(letter, k)
                    for k in (
                        "stage",
                        "reason",
                        "origin_topic",
                        "origin_partition",
                        "origin_offset",
                        "at",
                    )
                }
            ).decode()
        )
    if args.dry_run:
        print(f"netral replay-dlq: {len(letters)} would be replayed (dry run)", file=sys.stderr)
        return 0
    sent = asyncio.run(replay_dlq.replay(kafka, letters))
    print(f"netral replay-dlq: {sent} replayed", file=sys.stderr)
    return 0


def _bench(args: argparse.Namespace) -> int:
    from services import bench

    logging.basicConfig(level=logging.WARNING)
    loads = [float(x) for x in args.loads.split(",") if x]
    result = asyncio.run(
        bench.run(args.events, loads, lambda m: print(f"netral bench: {m}", file=sys.stderr))
    )
    if args.json:
        print(orjson.dumps(result).decode())
    else:
        print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
    return 0


def _train(args: argparse.Namespace) -> int:
    import dataclasses

    from services.classify.train import train

    loaded = _policy_and_gold(args, "train")
    if loaded is None:
        return 2
    policy, items = loaded
    # Features come from the pack's normaliser only; the model being replaced plays no part.
    model = train(items, dataclasses.replace(policy, model=None))
    args.out.write_bytes(orjson.dumps(model))
    sizes = {c: len(m.weights) for c, m in model.categories.items()}
    print(f"netral train: {model.version} from {len(items)} events -> {args.out} {sizes}")
    return 0


def _routes(args: argparse.Namespace) -> int:
    from services.alert.route import deadline_s, load_routing, match_routes, recipients, start_level
    from shared.errors import InvalidReferenceData
    from shared.registry import load_registry
    from shared.schema import AsnRef
    from shared.settings import ReferenceSettings

    ref = ReferenceSettings()
    try:
        routing = load_routing(args.routing or ref.routing)
        registry = load_registry(ref.registry)
    except InvalidReferenceData as exc:
        print(f"netral routes: {exc}", file=sys.stderr)
        return 2
    labels = {
        k: getattr(args, k) for k in ("category", "severity", "agency", "unit", "region", "phase")
    }
    asn = None
    if args.employee:
        employee = registry.employees.get(args.employee)
        if employee is None:
            print(f"netral routes: unknown employee {args.employee}", file=sys.stderr)
            return 2
        unit = registry.units[employee.unit]
        agency = registry.agencies[unit.agency]
        asn = AsnRef(employee.employee_id, agency.id, unit.id, agency.region)
        labels.update(agency=agency.id, unit=unit.id, region=agency.region)
    level = start_level(labels["severity"] or "low", routing)
    result = {
        "routing_version": routing.version,
        "labels": labels,
        "routes": [
            {
                "receiver": r.receiver,
                "channels": r.channels,
                "path": r.path,
                "group_wait_s": r.group_wait_s,
                "group_interval_s": r.group_interval_s,
                "repeat_interval_s": r.repeat_interval_s,
            }
            for r in match_routes(labels, routing)
        ],
        "escalation": [
            {
                "level": n,
                "name": routing.chain[n - 1].name,
                "ack_within_s": deadline_s(n, routing),
                "recipients": recipients(asn, n, routing, registry) if asn else None,
            }
            for n in range(level, len(routing.chain) + 1)
        ],
    }
    print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
    return 0


def _eval(args: argparse.Namespace) -> int:
    from services.classify import evaluate
    from shared.clock import utc_now

    loaded = _policy_and_gold(args, "eval")
    if loaded is None:
        return 2
    policy, items = loaded
    if args.cv:
        from services.classify.train import cross_validate

        predicted = cross_validate(items, policy, utc_now(), args.cv)
    else:
        predicted = evaluate.predict(items, policy, utc_now())
    result = evaluate.score([item.labels for item in items], predicted)
    result["policy_version"] = policy.version
    print(orjson.dumps(result).decode() if args.json else evaluate.render(result))
    return 0


def _policy_and_gold(args: argparse.Namespace, command: str) -> tuple[Any, Any] | None:
    """The policy (``--policy``/``--watchlist`` or the configured ones) and the gold items;
    None after printing why either cannot be read."""
    from services.classify import evaluate
    from services.classify.policy import load_policy
    from services.classify.watchlist import load_watchlist
    from shared.errors import InvalidMessage, InvalidReferenceData
    from shared.settings import ReferenceSettings

    ref = ReferenceSettings()
    try:
        watchlist = load_watchlist(args.watchlist or ref.watchlist)
        return load_policy(args.policy or ref.policy, watchlist), evaluate.load_gold(args.gold)
    except (InvalidReferenceData, InvalidMessage, OSError) as exc:
        print(f"netral {command}: {exc}", file=sys.stderr)
        return None


def _up(args: argparse.Namespace) -> int:
    from services import runtime
    from services.demo import DEMO_EVENTS
    from shared.settings import REPO_ROOT

    logging.basicConfig(level=logging.INFO, format="netral up: %(message)s")
    stop_requested = False

    def request_stop(*_: Any) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    defaults = {"ingest": 8080, "classify": 8081, "alert": 8082}
    # The case desk signs in the documented demo users unless a users file is configured.
    demo_users = str(REPO_ROOT / "deploy" / "demo" / "desk-users.yaml")
    desk = {"NETRAL_ALERT_DESK_USERS": os.environ.get("NETRAL_ALERT_DESK_USERS", demo_users)}
    stack = runtime.Stack.start(args.state_dir, desk, defaults)
    try:
        runtime.wait_ready(stack.services)
        kind = "embedded, in memory" if stack.infra.embedded_broker else "external"
        print(
            f"netral up: broker {stack.infra.bootstrap} ({kind}), redis {stack.infra.redis_url}",
            flush=True,
        )
        for service in stack.services:
            service_log = stack.logs / f"{service.name}.log"
            print(f"netral up: {service.name} at {service.url} (log: {service_log})", flush=True)
        desk_url = stack.service("alert").url
        print(
            f"netral up: case desk at {desk_url}/inbox (users: {desk['NETRAL_ALERT_DESK_USERS']})",
            flush=True,
        )
        print("netral up: alerts appear below as they arrive; Ctrl-C stops everything", flush=True)
        if args.demo:
            from services import demo

            tally = demo.Tally()
            asyncio.run(
                demo.post_events(stack.service("ingest").url, demo.load_events(DEMO_EVENTS), tally)
            )
            print(f"netral up: demo events sent: {dict(tally.statuses)}", flush=True)
        while not stop_requested:
            stack.supervise()
            time.sleep(0.5)
    finally:
        print("netral up: stopping (ingest, classify, alert, then infrastructure)", flush=True)
        codes = stack.stop()
        print(f"netral up: stopped {codes}", flush=True)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from services import demo, runtime

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    events = demo.load_events(args.events or demo.DEMO_EVENTS)
    tally = demo.Tally()

    async def run() -> dict[str, Any]:
        receiver = demo.WebhookReceiver(tally)
        hook_url = await receiver.start()
        stack = await asyncio.to_thread(
            runtime.Stack.start, args.state_dir, {"NETRAL_ALERT_WEBHOOK_URL": hook_url}, None
        )
        done = asyncio.Event()
        try:
            await asyncio.to_thread(runtime.wait_ready, stack.services)
            watcher = asyncio.create_task(demo.watch_topics(stack.kafka_settings(), tally, done))
            await demo.post_events(stack.service("ingest").url, events, tally)
            settled = await demo.wait_settled(tally, args.timeout)
            done.set()
            await watcher
            return demo.summary(tally, settled)
        finally:
            done.set()
            await asyncio.to_thread(stack.stop)
            await receiver.stop()

    result = asyncio.run(run())
    if args.json:
        print(orjson.dumps(result).decode(), flush=True)
    else:
        for key, value in result.items():
            print(f"{key:>22}: {value}")
    return 0 if result["settled"] and result["dlq"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
