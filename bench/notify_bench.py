"""Notification delivery: deliveries per second to local receivers, and the lag from a
match event published to Kafka to its webhook received, p50/p99.

Runs the notification service as its own process (as `make run` does) against the
local stack, in a fresh topic namespace and database, with receivers on loopback
only. Bounded: every phase has a deadline; the whole run takes about a minute.

Honesty checks: the receivers' own capacity is measured first (a separate client
process posting to them), so a slow receiver cannot pass for a slow service; and
the lag phase starts only after the service has recorded and published every
outcome of the throughput phase (the time that took is printed as "settle").

    .venv/bin/python bench/notify_bench.py [--matches 600] [--endpoints 8] [--rate 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from deploy.hub import launcher  # noqa: E402
from shared.events import (  # noqa: E402
    CONTENT_TYPE,
    CloudEvent,
    EventPayload,
    MatchFoundV1,
    ScoreComponent,
    SubscriptionCreatedV1,
)
from shared.kafka import create_broker  # noqa: E402
from shared.kafka_admin import delete_topics, ensure_topics  # noqa: E402
from shared.settings import DEFAULT_DATABASE_URL, DEFAULT_KAFKA, KafkaSettings  # noqa: E402
from shared.topics import MATCHES, SUBSCRIPTIONS  # noqa: E402

THROUGHPUT, LAG = "bench-throughput", "bench-lag"


@dataclass
class Receivers:
    """Loopback HTTP/1.1 receivers (keep-alive) that note when each delivery arrived."""

    arrived: dict[str, float] = field(default_factory=dict)  # vacancy id -> first arrival
    count: int = 0
    ids: set[str] = field(default_factory=set)
    duplicates: int = 0

    def reset(self) -> None:
        """Forget everything received so far (the capacity probe's requests)."""
        self.arrived.clear()
        self.ids.clear()
        self.count = self.duplicates = 0

    def on_body(self, body: bytes) -> None:
        now = time.perf_counter()
        document = json.loads(body)
        self.count += 1
        if document["delivery_id"] in self.ids:
            self.duplicates += 1
        self.ids.add(document["delivery_id"])
        self.arrived.setdefault(document["data"]["vacancy_id"], now)


class _Hook(asyncio.Protocol):
    def __init__(self, receivers: Receivers) -> None:
        self._receivers, self._buffer = receivers, b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while (end := self._buffer.find(b"\r\n\r\n")) >= 0:
            head = self._buffer[:end].lower()
            start = head.find(b"content-length:") + 15
            stop = head.find(b"\r\n", start)
            length = int(head[start : stop if stop >= 0 else None])
            if len(self._buffer) < end + 4 + length:
                return
            body = self._buffer[end + 4 : end + 4 + length]
            self._buffer = self._buffer[end + 4 + length :]
            self._receivers.on_body(body)
            assert self._transport is not None
            self._transport.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")


@asynccontextmanager
async def serving(receivers: Receivers, count: int) -> AsyncIterator[list[str]]:
    """`count` receivers on loopback ports; yields their URLs."""
    loop = asyncio.get_running_loop()
    servers = [
        await loop.create_server(lambda: _Hook(receivers), "127.0.0.1", 0) for _ in range(count)
    ]
    try:
        yield [f"http://127.0.0.1:{s.sockets[0].getsockname()[1]}/hook" for s in servers]
    finally:
        for server in servers:
            server.close()


def _match(occupation: str) -> MatchFoundV1:
    return MatchFoundV1(
        version=1,
        vacancy_id=uuid.uuid4(),
        profile_id=uuid.uuid4(),
        vacancy_version=1,
        profile_version=1,
        score=0.8,
        distance_km=10.0,
        components=[ScoreComponent(name="competence", value=0.8, weight=1.0, reason="bench")],
        gap=[],
        occupation=occupation,
    )


def _subscription(url: str, occupation: str) -> SubscriptionCreatedV1:
    return SubscriptionCreatedV1.model_validate(
        {
            "version": 1,
            "subscription_id": uuid.uuid4(),
            "organisation_id": uuid.uuid4(),
            "organisation_kind": "hub",
            "webhook_url": url,
            "signing_secret": "bench-secret",
            "occupations": [occupation],
            "event_kinds": ["match.found"],
        }
    )


async def _until(probe: Callable[[], Awaitable[bool]], deadline_s: float, what: str) -> None:
    deadline = time.monotonic() + deadline_s
    while not await probe():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what} after {deadline_s} s")
        await asyncio.sleep(0.02)  # polling interval, bounded by the deadline


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass(frozen=True, slots=True)
class Env:
    """Where the bench runs: broker, topic namespace, database."""

    kafka: str
    prefix: str
    database_url: str


class Bench:
    """Publishes into the bench's namespace and watches the receivers."""

    def __init__(self, env: Env, receivers: Receivers) -> None:
        self.env, self.receivers = env, receivers
        self.broker = create_broker(
            KafkaSettings(bootstrap_servers=env.kafka, topic_prefix=env.prefix, client_id="bench")
        )

    async def publish(self, topic: str, payload: EventPayload, *, confirm: bool = True) -> None:
        event = CloudEvent.wrap(payload, source="bench")
        await self.broker.publish(
            event.to_bytes(),
            f"{self.env.prefix}{topic}",
            key=event.subject.encode(),
            headers={"content-type": CONTENT_TYPE},
            no_confirm=not confirm,
        )

    async def subscribe(self, urls: list[str], occupation: str) -> None:
        for url in urls:
            await self.publish(SUBSCRIPTIONS, _subscription(url, occupation))

    async def throughput(self, matches: int, fanout: int) -> tuple[float, float]:
        """Deliveries/s from first publish to last arrival, and within the delivery window."""
        start_count = self.receivers.count
        began = time.perf_counter()
        for _ in range(matches):
            await self.publish(MATCHES, _match(THROUGHPUT), confirm=False)
        target = start_count + matches * fanout

        async def done() -> bool:
            return self.receivers.count >= target

        await _until(done, 120, "every throughput delivery")
        elapsed = time.perf_counter() - began
        return matches * fanout / elapsed, elapsed

    async def lag(self, rate: float, seconds: float) -> list[float]:
        """Publish matches at `rate`/s; the lag of each until its webhook arrived (ms)."""
        sent: dict[str, float] = {}
        began, total = time.perf_counter(), int(rate * seconds)
        for i in range(total):
            await asyncio.sleep(max(0.0, began + i / rate - time.perf_counter()))
            match = _match(LAG)
            sent[str(match.vacancy_id)] = time.perf_counter()
            await self.publish(MATCHES, match)

        async def done() -> bool:
            return all(v in self.receivers.arrived for v in sent)

        await _until(done, 60, "every lag delivery")
        return [(self.receivers.arrived[v] - t) * 1000 for v, t in sent.items()]


async def _database(admin_url: str) -> str:
    name = f"dz_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))


async def _drop_database(admin_url: str, url: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        name = urlsplit(url).path.lstrip("/")
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def _outbox_drained(database_url: str) -> float:
    """Seconds until every outcome the service recorded was published to Kafka."""
    began = time.perf_counter()
    conn = await asyncpg.connect(database_url)
    try:

        async def drained() -> bool:
            unsent = await conn.fetchval(
                "SELECT count(*) FROM notifications.outbox WHERE sent_at IS NULL"
            )
            pending = await conn.fetchval(
                "SELECT count(*) FROM notifications.deliveries WHERE status = 'pending'"
            )
            return bool(unsent == 0 and pending == 0)

        await _until(drained, 60, "the outcomes to be recorded and published")
    finally:
        await conn.close()
    return time.perf_counter() - began


LOAD_REQUESTS, LOAD_CONCURRENCY = 4000, 64


async def _load(urls: list[str]) -> None:
    """The capacity probe's client side (its own process): POST to the receivers, print req/s."""
    import aiohttp

    body = json.dumps({"delivery_id": "probe", "data": {"vacancy_id": "probe"}}).encode()
    gate = asyncio.Semaphore(LOAD_CONCURRENCY)
    async with aiohttp.ClientSession() as session:

        async def one(i: int) -> None:
            async with gate, session.post(urls[i % len(urls)], data=body) as response:
                assert response.status == 204

        began = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(LOAD_REQUESTS)))
    print(f"{LOAD_REQUESTS / (time.perf_counter() - began):.0f}")


async def _receiver_capacity(urls: list[str]) -> float:
    """Requests/s the receivers answered from a separate client process (a lower bound)."""
    argv = [sys.executable, __file__, "--load", *urls]
    done = await asyncio.create_subprocess_exec(*argv, stdout=subprocess.PIPE)
    out, _ = await asyncio.wait_for(done.communicate(), 120)
    return float(out.decode().strip().splitlines()[-1])


async def _subscriptions_active(database_url: str, expected: int) -> None:
    conn = await asyncpg.connect(database_url)
    try:

        async def stored() -> bool:
            found = await conn.fetchval(
                "SELECT count(*) FROM notifications.subscriptions WHERE status = 'active'"
            )
            return bool(found == expected)

        await _until(stored, 60, "the subscriptions")
    finally:
        await conn.close()


def _service(env: Env) -> launcher.ServiceProcess:
    variables = {
        "KAFKA_BOOTSTRAP_SERVERS": env.kafka,
        "KAFKA_TOPIC_PREFIX": env.prefix,
        "DATABASE_URL": env.database_url,
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "json",
        "NOTIFICATIONS_ALLOW_INSECURE_LOCALHOST": "true",
        "NOTIFICATIONS_WORKER_BATCH_SIZE": "100",
        "NOTIFICATIONS_ENDPOINT_CONCURRENCY": "16",
    }
    proc = launcher.start("notifications", port=_free_port(), env=variables, cwd=REPO)
    launcher.wait_ready([proc])
    return proc


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _measure(env: Env, args: argparse.Namespace) -> dict[str, float]:
    receivers = Receivers()
    async with serving(receivers, args.endpoints + 1) as urls:
        capacity = await _receiver_capacity(urls)
        receivers.reset()
        bench = Bench(env, receivers)
        await bench.broker.connect()
        try:
            await bench.subscribe(urls[:-1], THROUGHPUT)
            await bench.subscribe(urls[-1:], LAG)
            await _subscriptions_active(env.database_url, args.endpoints + 1)
            await bench.lag(50, 1)  # warm-up: connections, plans, caches
            rate, elapsed = await bench.throughput(args.matches, args.endpoints)
            settle = await _outbox_drained(env.database_url)
            lags = await bench.lag(args.rate, args.seconds)
        finally:
            await bench.broker.stop()
    return {
        "receiver_capacity": capacity,
        "settle_s": settle,
        "deliveries": args.matches * args.endpoints,
        "elapsed_s": elapsed,
        "deliveries_per_s": rate,
        "lag_events": len(lags),
        "lag_p50_ms": statistics.median(lags),
        "lag_p99_ms": _pct(lags, 0.99),
        "lag_max_ms": max(lags),
        "duplicates": receivers.duplicates,
    }


def _print(figures: dict[str, float], args: argparse.Namespace) -> None:
    rows = [
        ("receivers (capacity)", f"{figures['receiver_capacity']:.0f} req/s", ">> 1000"),
        ("throughput", f"{args.matches} matches x {args.endpoints} endpoints", ""),
        ("  deliveries", f"{figures['deliveries']:.0f}", ""),
        ("  wall time", f"{figures['elapsed_s']:.2f} s", ""),
        ("  deliveries/s", f"{figures['deliveries_per_s']:.0f}", ">= 1000"),
        ("  settle", f"{figures['settle_s']:.2f} s", "outcomes recorded and published"),
        ("lag", f"{args.rate:.0f} events/s for {args.seconds:.0f} s", ""),
        ("  p50", f"{figures['lag_p50_ms']:.1f} ms", ""),
        ("  p99", f"{figures['lag_p99_ms']:.1f} ms", "<= 100 ms"),
        ("  max", f"{figures['lag_max_ms']:.1f} ms", ""),
        ("repeated delivery ids", f"{figures['duplicates']:.0f}", ""),
    ]
    print(f"{'measure':<24}{'value':>32}  target")
    for name, value, target in rows:
        print(f"{name:<24}{value:>32}  {target}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matches", type=int, default=600)
    parser.add_argument("--endpoints", type=int, default=8)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--load", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        await _load(args.load)
        return
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA)
    admin_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    prefix = f"bench{uuid.uuid4().hex[:8]}."
    await ensure_topics(kafka, prefix)
    env = Env(kafka, prefix, await _database(admin_url))
    proc = await asyncio.to_thread(_service, env)
    try:
        figures = await _measure(env, args)
    finally:
        launcher.stop(proc)
        await delete_topics(kafka, prefix)
        await _drop_database(admin_url, env.database_url)
    _print(figures, args)


if __name__ == "__main__":
    asyncio.run(main())
