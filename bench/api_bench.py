"""The public API's write path: authenticated `POST /v1/vacancies` against ONE uvicorn worker.

Starts the profiles service as its own process on loopback (as `make run` does), in a
fresh database and topic namespace, and drives it with N keep-alive connections per
level. Prints throughput, p50/p99 latency, and the outbox lag — from the event's
`time` (set in the request, before the commit) to the record's timestamp on Kafka.
Bounded: each level runs a fixed number of seconds; the whole run takes about a minute.

    .venv/bin/python bench/api_bench.py [--levels 8,32] [--seconds 8]

Targets on a 2-core machine: >= 500 writes/s with p99 <= 50 ms; outbox lag p99 <= 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from deploy.hub import launcher  # noqa: E402
from deploy.hub.demo import VACANCY, provision_demo  # noqa: E402
from services.profiles.config import ProfilesSettings  # noqa: E402
from shared.kafka_admin import delete_topics, ensure_topics  # noqa: E402
from shared.settings import DEFAULT_DATABASE_URL, DEFAULT_KAFKA  # noqa: E402
from shared.topics import VACANCIES, qualified  # noqa: E402


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def request_bytes(port: int, key: str) -> bytes:
    """One complete HTTP/1.1 request, built once and sent again and again."""
    body = json.dumps(VACANCY).encode()
    head = (
        f"POST /v1/vacancies HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {key}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def client(port: int, request: bytes, until: float, latencies: list[float]) -> int:
    """One keep-alive connection posting until `until`; returns the non-201 answers."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    failures = 0
    try:
        while time.perf_counter() < until:
            began = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - began)
            failures += not head.startswith(b"HTTP/1.1 201")
    finally:
        writer.close()
    return failures


async def level(port: int, request: bytes, clients: int, seconds: float) -> dict[str, float]:
    """Run `clients` connections for `seconds`; throughput and latency percentiles."""
    latencies: list[float] = []
    began = time.perf_counter()
    until = began + seconds
    failures = await asyncio.gather(
        *(client(port, request, until, latencies) for _ in range(clients))
    )
    elapsed = time.perf_counter() - began
    return {
        "clients": clients,
        "requests": len(latencies),
        "failed": sum(failures),
        "per_s": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


async def outbox_lags(kafka: str, topic: str) -> list[float]:
    """Seconds from each event's `time` to its record's timestamp on Kafka."""
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        lags: list[float] = []
        for tp in partitions:
            consumer.seek(tp, 0)
            while (await consumer.position(tp)) < ends[tp]:
                for record in (await consumer.getmany(tp, timeout_ms=2000)).get(tp, []):
                    created = datetime.fromisoformat(json.loads(record.value)["time"])
                    lags.append(record.timestamp / 1000 - created.timestamp())
        return lags
    finally:
        await consumer.stop()


@asynccontextmanager
async def fresh_database(url: str) -> AsyncIterator[str]:
    """A database of its own for this run, dropped afterwards."""
    name = f"dz_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def backlog(database: str) -> int:
    """Outbox rows not yet published."""
    conn = await asyncpg.connect(database)
    try:
        return int(
            await conn.fetchval("SELECT count(*) FROM profiles.outbox WHERE sent_at IS NULL")
        )
    finally:
        await conn.close()


def _start(port: int, env: dict[str, str], profile: str | None) -> launcher.ServiceProcess:
    if profile is None:
        return launcher.start("profiles", port=port, env=env, cwd=REPO)
    env = {**env, "PROFILES_HTTP_PORT": str(port)}
    args = ["--serve-profiled", profile]
    return launcher.start_module("profiles", "bench.api_bench", args, port=port, env=env, cwd=REPO)


def serve_profiled(report: str) -> None:
    """Serve the API (one worker) under pyinstrument; write its report on SIGTERM."""
    import contextlib
    import signal

    import uvicorn
    from pyinstrument import Profiler

    from services.profiles.entrypoints.http.app import create_app

    settings = ProfilesSettings()
    config = uvicorn.Config(
        create_app(settings), host=settings.http_host, port=settings.http_port,
        log_config=None, access_log=False,
    )  # fmt: skip
    server = uvicorn.Server(config)
    # uvicorn re-raises SIGTERM after shutdown, which would end the process before the
    # report is written: stop it through should_exit instead.
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
    signal.signal(signal.SIGTERM, lambda *_: setattr(server, "should_exit", True))
    profiler = Profiler(async_mode="disabled")
    profiler.start()
    try:
        asyncio.run(server.serve())
    finally:
        profiler.stop()
        Path(report).write_text(profiler.output_text(show_all=False))


async def run(
    levels: list[int], seconds: float, profile: str | None = None
) -> list[dict[str, float]]:
    """Start the API, drive every level, measure the outbox lag; stop everything."""
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA)
    prefix = f"bench{uuid.uuid4().hex[:8]}."
    await ensure_topics(kafka, prefix)
    async with fresh_database(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)) as database:
        settings = ProfilesSettings.model_validate({"database_url": database})
        port = _free_port()
        env = {
            "DATABASE_URL": database, "KAFKA_BOOTSTRAP_SERVERS": kafka,
            "KAFKA_TOPIC_PREFIX": prefix, "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING",
            "PROFILES_RATE_LIMIT_REQUESTS": "100000000",  # measure the write path, not the limit
        }  # fmt: skip
        proc = _start(port, env, profile)
        try:
            await asyncio.to_thread(launcher.wait_ready, [proc])
            keys = await asyncio.to_thread(provision_demo, settings)
            request = request_bytes(port, keys["firm"])
            await level(port, request, 4, 1.5)  # warm-up: connections, caches, JIT-free paths
            results = [await level(port, request, n, seconds) for n in levels]
            for _ in range(150):  # the relay drains; at most 30 s
                if not await backlog(database):
                    break
                await asyncio.sleep(0.2)
            lags = await outbox_lags(kafka, qualified(VACANCIES, prefix))
            for result in results:
                result["lag_p50_ms"] = percentile(lags, 0.5) * 1000
                result["lag_p99_ms"] = percentile(lags, 0.99) * 1000
            return results
        finally:
            launcher.stop(proc)
            await delete_topics(kafka, prefix)


def main() -> None:
    """Parse arguments, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="8,32", help="Concurrent clients per level.")
    parser.add_argument("--seconds", type=float, default=8.0, help="Duration of each level.")
    parser.add_argument("--profile", help="Run the service under pyinstrument; report file.")
    parser.add_argument("--serve-profiled", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_profiled:
        serve_profiled(args.serve_profiled)
        return
    levels = [int(n) for n in args.levels.split(",")]
    results = asyncio.run(run(levels, args.seconds, args.profile))
    print(f"{'clients':>7} {'requests':>8} {'failed':>6} {'writes/s':>9} {'p50 ms':>7} "
          f"{'p99 ms':>7} {'lag p50 ms':>10} {'lag p99 ms':>10}")  # fmt: skip
    for r in results:
        print(
            f"{r['clients']:>7.0f} {r['requests']:>8.0f} {r['failed']:>6.0f} {r['per_s']:>9.0f}"
            f" {r['p50_ms']:>7.1f} {r['p99_ms']:>7.1f} {r['lag_p50_ms']:>10.1f}"
            f" {r['lag_p99_ms']:>10.1f}"
        )
    print("targets: >= 500 writes/s, p99 <= 50 ms, outbox lag p99 <= 100 ms (lag over all levels)")


if __name__ == "__main__":
    main()
