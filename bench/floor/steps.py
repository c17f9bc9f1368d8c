"""CPU per step, client side and server side, of the steps every posting takes.

Each step runs alone against the local stack with the hub's own libraries and
settings; CPU comes from /proc for servers and from `time.process_time` here.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import asyncpg
from aiokafka import AIOKafkaProducer

from bench.hub.processes import cpu_seconds, infrastructure_cpu_seconds
from bench.hub.waiting import until
from bench.kafka_ceiling import read, reader
from deploy.local.probes import port_open
from deploy.local.stack_config import Address
from services.notifications.domain.signing import sign

REPO = Path(__file__).resolve().parents[2]
CONCURRENCY = 8


@dataclass(frozen=True, slots=True)
class Cost:
    """CPU microseconds of one step: in this process and in the server(s) it talks to."""

    step: str
    client_us: float
    server_us: float

    @property
    def total_us(self) -> float:
        """Both sides together."""
        return self.client_us + self.server_us


async def _timed(
    count: int, once: Callable[[int], Awaitable[None]], server: Callable[[], float]
) -> tuple[float, float]:
    """CPU µs per call of `once`, here and in `server`, `count` calls 8 at a time."""
    for i in range(min(200, count)):  # warm caches, connections and JIT
        await once(i)
    client0, server0 = time.process_time(), server()
    queue = iter(range(count))

    async def worker() -> None:
        for i in queue:
            await once(i)

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    client, served = time.process_time() - client0, server() - server0
    return 1e6 * client / count, 1e6 * served / count


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 -- our own interpreter and modules
        [sys.executable, *args], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


async def _wait_port(port: int) -> None:
    address = Address("127.0.0.1", port)
    await until(lambda: asyncio.to_thread(port_open, address, 0.2), within=30, what=f"port {port}")


def posting_body() -> dict[str, object]:
    """A vacancy of the usual size (about 700 bytes of JSON)."""
    requirements = [
        {"competence_id": f"http://data.europa.eu/esco/skill/{uuid.uuid4()}", "min_level": 3,
         "importance": "must" if i < 3 else "nice"}
        for i in range(6)
    ]  # fmt: skip
    return {"title": "Chemikant/in", "occupation": "8131.1", "postcode": "10115",
            "radius_km": 50, "dqr_level": 4, "requirements": requirements}  # fmt: skip


async def http_request(count: int, port: int) -> Cost:
    """A POST validated by FastAPI under uvicorn, as the API serves it."""
    server = _spawn(
        "-m", "uvicorn", "bench.floor.minimal_app:app", "--port", str(port),
        "--log-level", "warning", "--no-access-log",
    )  # fmt: skip
    try:
        await _wait_port(port)
        body = json.dumps(posting_body()).encode()
        headers = {"content-type": "application/json"}
        async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as session:

            async def once(_: int) -> None:
                async with session.post("/v1/vacancies", data=body, headers=headers) as r:
                    assert r.status == 201, r.status
                    await r.read()

            client, served = await _timed(count, once, lambda: cpu_seconds(server.pid))
    finally:
        server.kill()
        server.wait()
    return Cost("HTTP request (FastAPI, validated body)", client, served)


async def signed_webhook(count: int, port: int, body: bytes) -> Cost:
    """A signed POST to the benchmark's verifying receiver."""
    secret = "floor-secret"  # noqa: S105 -- a throwaway receiver's, on loopback
    receiver = _spawn("-m", "bench.hub.receiver", "--port", str(port), "--secret", secret)
    try:
        await _wait_port(port)
        async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as session:

            async def once(_: int) -> None:
                stamp = int(time.time())
                headers = {
                    "content-type": "application/json",
                    "x-drehscheibe-timestamp": str(stamp),
                    "x-drehscheibe-signature": sign(secret.encode(), stamp, body),
                    "x-drehscheibe-delivery": str(uuid.uuid4()),
                    "x-drehscheibe-event": "de.drehscheibe.match.found.v1",
                }
                async with session.post("/", data=body, headers=headers) as r:
                    assert r.status == 204, r.status

            client, served = await _timed(count, once, lambda: cpu_seconds(receiver.pid))
    finally:
        receiver.kill()
        receiver.wait()
    return Cost("signed webhook sent and verified", client, served)


def _postgres() -> float:
    return infrastructure_cpu_seconds()["postgres"]


async def database(count: int, url: str, body: bytes) -> tuple[Cost, Cost]:
    """A write transaction (row + outbox row) from a pool, and one row of a batch of 20."""
    pool = await asyncpg.create_pool(url, min_size=CONCURRENCY, max_size=CONCURRENCY)
    assert pool is not None
    table = f"floor_{uuid.uuid4().hex[:8]}"
    async with pool.acquire() as conn:
        await conn.execute(
            f"CREATE TABLE {table} (id uuid PRIMARY KEY, body jsonb NOT NULL);"
            f"CREATE TABLE {table}_outbox (id bigserial PRIMARY KEY, topic text NOT NULL,"
            f" key text, value bytea NOT NULL, sent_at timestamptz)"
        )
    text = body.decode()
    insert = f"INSERT INTO {table} (id, body) VALUES ($1, $2::jsonb)"  # noqa: S608
    outbox = f"INSERT INTO {table}_outbox (topic, key, value) VALUES ($1, $2, $3)"  # noqa: S608
    try:

        async def transaction(_: int) -> None:
            async with pool.acquire() as conn, conn.transaction():
                key = uuid.uuid4()
                await conn.execute(insert, key, text)
                await conn.execute(outbox, "hub.vacancies.v1", str(key), body)

        tx = await _timed(count, transaction, _postgres)

        async def batch(_: int) -> None:
            async with pool.acquire() as conn, conn.transaction():
                await conn.executemany(insert, [(uuid.uuid4(), text) for _ in range(20)])

        rows = await _timed(count // 20, batch, _postgres)
    finally:
        async with pool.acquire() as conn:
            await conn.execute(f"DROP TABLE {table}, {table}_outbox")
        await pool.close()
    return (
        Cost("PostgreSQL transaction: row + outbox row", *tx),
        Cost("PostgreSQL row in a batch of 20", rows[0] / 20, rows[1] / 20),
    )


def _kafka() -> float:
    return infrastructure_cpu_seconds()["kafka"]


async def kafka_records(count: int, bootstrap: str, topic: str, size: int) -> tuple[Cost, Cost]:
    """One record produced (the hub's producer settings), and one consumed."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=2
    )
    await producer.start()
    value = os.urandom(size)
    try:
        # Sent as the relays send: a round of rows, then the acknowledgements.
        async def round_of_ten(i: int) -> None:
            sent = [await producer.send(topic, value, key=str(i * 10 + j).encode())
                    for j in range(10)]  # fmt: skip
            await asyncio.gather(*sent)

        # Unmeasured first: a broker that has just started is still compiling its own
        # code, which costs it several times the CPU per record for minutes (see
        # docs/performance.md, "Why a warm-up"). Run this against a warm broker.
        for i in range(count // 10):
            await round_of_ten(i)
        client0, broker0 = time.process_time(), _kafka()
        for i in range(count // 10):
            await round_of_ten(i)
        produced = Cost(
            "Kafka record produced (acks=all, idempotent)",
            1e6 * (time.process_time() - client0) / count,
            1e6 * (_kafka() - broker0) / count,
        )
    finally:
        await producer.stop()
    consumer = reader(bootstrap, topic)
    await consumer.start()
    try:
        client0, broker0 = time.process_time(), _kafka()
        # Batches of the size a busy consumer sees, not the ceiling's 5,000.
        seen = await read(consumer, count, batch=20)
        consumed = Cost(
            "Kafka record consumed (batches of 20)",
            1e6 * (time.process_time() - client0) / max(seen, 1),
            1e6 * (_kafka() - broker0) / max(seen, 1),
        )
    finally:
        await consumer.stop()
    return produced, consumed
