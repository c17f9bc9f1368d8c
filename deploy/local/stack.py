"""Local infrastructure for Drehscheibe without Docker: Kafka 4.1, PostgreSQL and Redis.

    .venv/bin/python deploy/local/stack.py up|down [--purge]|status|topics [--prefix P]

Configuration comes only from KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL, REDIS_URL and
STACK_DIR (see docs/local-stack.md). `up` reuses a server that already answers and
starts the others; `down` stops only what `up` started (pid files in STACK_DIR/run).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import logging
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script: import from the repository root, not from deploy/local/.
    _here, _root = Path(__file__).resolve().parent, str(Path(__file__).resolve().parents[2])
    sys.path[:] = [_root, *(p for p in sys.path if Path(p or ".").resolve() != _here)]

from deploy.local import kafka_security, procs, svc_kafka, svc_postgres, svc_redis
from deploy.local.common import Outcome, StackError
from deploy.local.probes import Probe, check, kafka_probe, postgres_probe, redis_probe
from deploy.local.stack_config import StackConfig, load_config
from shared.kafka_admin import ensure_topics


@dataclass(frozen=True, slots=True)
class Component:
    """How the CLI handles one server."""

    name: str
    marker: str
    stop_signal: signal.Signals
    grace: float
    up: Callable[[StackConfig], Outcome]
    address: Callable[[StackConfig], str]
    probe: Callable[[StackConfig], Probe]


COMPONENTS = (
    Component(
        "kafka", svc_kafka.MARKER, signal.SIGTERM, 60.0, svc_kafka.up,
        lambda c: str(c.kafka), lambda c: check(lambda: kafka_probe(c.kafka_bootstrap)),
    ),
    Component(
        "postgres", svc_postgres.MARKER, signal.SIGINT, 60.0, svc_postgres.up,
        lambda c: str(c.database.address), lambda c: check(lambda: postgres_probe(c.database.url)),
    ),
    Component(
        "redis", svc_redis.MARKER, signal.SIGTERM, 20.0, svc_redis.up,
        lambda c: str(c.redis), lambda c: check(lambda: redis_probe(c.redis_url)),
    ),
)  # fmt: skip


PURGED = ("kafka/data", "kafka/server.properties", "postgres", "redis", "pgsocket")


@contextmanager
def locked(cfg: StackConfig) -> Iterator[None]:
    """One `up` or `down` at a time per STACK_DIR."""
    cfg.run_dir.mkdir(parents=True, exist_ok=True)
    with (cfg.run_dir / "stack.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def our_pid(cfg: StackConfig, comp: Component) -> int | None:
    return procs.recorded_pid(procs.pid_file(cfg.run_dir, comp.name), comp.marker)


def cmd_topics(cfg: StackConfig, prefix: str) -> int:
    try:
        created = asyncio.run(ensure_topics(cfg.kafka_bootstrap, prefix))
    except Exception as exc:
        print(f"topics    {cfg.kafka!s:<22} failed: {type(exc).__name__}: {exc}")
        return 1
    names = ", ".join(created) if created else "none"
    print(f"topics    {cfg.kafka!s:<22} ok: created {len(created)} ({names})")
    return 0


def provision_security(cfg: StackConfig) -> Outcome:
    """SCRAM users and ACLs on a broker we started (an external one is its owner's business)."""
    try:
        return kafka_security.provision(cfg, svc_kafka.libs_dir(cfg))
    except (StackError, OSError) as exc:
        return Outcome("security", str(cfg.kafka), "failed", str(exc))


def cmd_up(cfg: StackConfig) -> int:
    began = time.monotonic()
    with locked(cfg):
        cfg.logs_dir.mkdir(parents=True, exist_ok=True)
        outcomes = []
        for comp in COMPONENTS:
            outcome = comp.up(cfg)
            print(outcome.line(), flush=True)
            outcomes.append(outcome)
        kafka_ok = next(o for o in outcomes if o.name == "kafka").ok
        if kafka_ok and our_pid(cfg, COMPONENTS[0]) is not None:
            outcomes.append(provision_security(cfg))
            print(outcomes[-1].line(), flush=True)
    failed = [o for o in outcomes if not o.ok]
    status = 1 if failed else 0
    if kafka_ok:
        status |= cmd_topics(cfg, "")
    print(f"up        {'failed' if status else 'ok'} in {time.monotonic() - began:.1f} s")
    return status


def cmd_down(cfg: StackConfig, purge: bool) -> int:
    with locked(cfg):
        for comp in COMPONENTS:
            pid = our_pid(cfg, comp)
            if pid is None:
                print(f"{comp.name:<9} {comp.address(cfg):<22} nothing started by us (left alone)")
                continue
            result = procs.stop(pid, sig=comp.stop_signal, grace=comp.grace)
            procs.pid_file(cfg.run_dir, comp.name).unlink(missing_ok=True)
            print(f"{comp.name:<9} {comp.address(cfg):<22} pid {pid} {result}")
        if purge:
            purge_data(cfg)
    return 0


def purge_data(cfg: StackConfig) -> None:
    """Delete the servers' data; the jars, the JVM archive and the logs stay."""
    for data in PURGED:
        path = cfg.stack_dir / data
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    print(f"purge     {cfg.stack_dir}: data removed (jars and logs kept)")


def cmd_status(cfg: StackConfig) -> int:
    for comp in COMPONENTS:
        pid = our_pid(cfg, comp)
        probe = comp.probe(cfg)
        answer = "answering" if probe.ok else f"not answering ({probe.detail})"
        owner = f"started by us (pid {pid})" if pid else ("external" if probe.ok else "-")
        print(f"{comp.name:<9} {comp.address(cfg):<22} {answer}; {owner}")
    print(f"stack dir {cfg.stack_dir} (logs: {cfg.logs_dir})")
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="stack.py", description="Local Kafka, PostgreSQL and Redis for Drehscheibe."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="reuse or start Kafka, PostgreSQL and Redis; create topics")
    down = sub.add_parser("down", help="stop what `up` started")
    down.add_argument("--purge", action="store_true", help="also delete the data in STACK_DIR")
    sub.add_parser("status", help="what answers, and what we started")
    topics = sub.add_parser("topics", help="create the topics of shared.topics.TOPICS")
    topics.add_argument("--prefix", default="", help="topic name prefix (tests)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # aiokafka logs every refused connection while a broker starts; the probes report.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    cfg = load_config()
    if args.command == "up":
        return cmd_up(cfg)
    if args.command == "down":
        return cmd_down(cfg, args.purge)
    if args.command == "status":
        return cmd_status(cfg)
    return cmd_topics(cfg, args.prefix)


if __name__ == "__main__":
    sys.exit(main())
