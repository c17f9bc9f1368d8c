"""The full path at one size: the real matching service as its own process, fed through
Kafka, its state in PostgreSQL. Latency is publish → the vacancy's state committed.

Run as `python -m bench.matching.service PROFILES LATENCY_SAMPLE SEED`; it creates its
own topics (unique prefix) and database, removes both afterwards, prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
from faststream.kafka import KafkaBroker

from bench.matching.inprocess import pct
from bench.matching.synthetic import Synthetic
from services.matching.config import MatchingSettings
from shared.events import CONTENT_TYPE, CloudEvent, EventPayload
from shared.kafka import create_broker
from shared.kafka_admin import delete_topics, ensure_topics
from shared.reference.geo import PostcodeDirectory
from shared.topics import PROFILES, VACANCIES


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@asynccontextmanager
async def _service(settings: MatchingSettings, dsn: str) -> AsyncIterator[int]:
    """The matching service as a child process; yields its pid once it is ready."""
    port = _free_port()
    env = {
        **os.environ,
        "KAFKA_TOPIC_PREFIX": settings.kafka_topic_prefix,
        "DATABASE_URL": dsn,
        "MATCHING_HTTP_PORT": str(port),
        "MATCHING_OUTBOX_POLL_INTERVAL_S": "0.2",
        "LOG_LEVEL": "WARNING",
    }
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.matching", env=env, stdout=subprocess.DEVNULL
    )
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(600):
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        yield child.pid
    finally:
        child.terminate()
        await asyncio.wait_for(child.wait(), timeout=30)


async def _publish(
    broker: KafkaBroker, settings: MatchingSettings, e: EventPayload, *, confirm: bool = True
) -> Any:
    """Publish one event; without `confirm`, return the broker's acknowledgement future."""
    topic = settings.kafka.topic(VACANCIES if "vacancy" in e.event_type else PROFILES)
    value = CloudEvent.wrap(e, source="bench").to_bytes()
    return await broker.publish(
        value,
        topic,
        key=e.subject().encode(),
        headers={"content-type": CONTENT_TYPE},
        no_confirm=not confirm,
    )


async def _until(probe: Callable[[], Awaitable[bool]], interval: float, limit: float) -> None:
    deadline = time.monotonic() + limit
    while not await probe():
        if time.monotonic() > deadline:
            raise TimeoutError("the matching service did not catch up")
        await asyncio.sleep(interval)


def _peak_rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def _bulk(
    broker: KafkaBroker, settings: MatchingSettings, db: asyncpg.Connection[Any], events: list[Any]
) -> float:
    """Publish all, wait until every one is stored; events per second."""
    table = "vacancies" if "vacancy" in events[0].event_type else "profiles"
    before = await db.fetchval(f"SELECT count(*) FROM matching.{table}")  # noqa: S608
    began = time.perf_counter()
    # Acknowledgements are awaited together: one round trip per event would make the
    # publisher, not the service, the bottleneck.
    await asyncio.gather(*[await _publish(broker, settings, e, confirm=False) for e in events])

    async def done() -> bool:
        count = await db.fetchval(f"SELECT count(*) FROM matching.{table}")  # noqa: S608
        return bool(count >= before + len(events))

    await _until(done, 0.2, 600)
    return len(events) / (time.perf_counter() - began)


def _stored(db: asyncpg.Connection[Any], vacancy_id: uuid.UUID) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        query = "SELECT count(*) > 0 FROM matching.vacancies WHERE id = $1"
        return bool(await db.fetchval(query, vacancy_id))

    return probe


async def _measure(settings: MatchingSettings, dsn: str, n: int, sample: int, seed: int) -> Any:
    syn = Synthetic(seed, PostcodeDirectory.load())
    broker = create_broker(settings.kafka)
    await broker.connect()
    db = await asyncpg.connect(dsn)
    out: dict[str, Any] = {"profiles": n}
    try:
        async with _service(settings, dsn) as pid:
            out["profile_per_s"] = await _bulk(
                broker, settings, db, [syn.profile() for _ in range(n)]
            )
            out["vacancy_per_s"] = await _bulk(
                broker, settings, db, [syn.vacancy() for _ in range(n // 5 - sample)]
            )
            latencies = []
            for _ in range(sample):
                v = syn.vacancy()
                began = time.perf_counter()
                await _publish(broker, settings, v)
                await _until(_stored(db, v.vacancy_id), 0.001, 60)
                latencies.append(time.perf_counter() - began)
            out.update(p50_ms=pct(latencies, 0.5), p99_ms=pct(latencies, 0.99), sample=sample)
            out["peak_rss_mib"] = _peak_rss_mib(pid)
    finally:
        await db.close()
        await broker.stop()
    return out


async def run(n: int, sample: int, seed: int) -> dict[str, Any]:
    """Own topics and database around one measurement."""
    base = MatchingSettings()
    prefix = f"bench{uuid.uuid4().hex[:8]}."
    name = f"dz_bench_{uuid.uuid4().hex[:10]}"
    dsn = urlunsplit(urlsplit(base.database_url)._replace(path=f"/{name}"))
    settings = base.model_copy(update={"kafka_topic_prefix": prefix})
    await ensure_topics(base.kafka_bootstrap_servers, prefix)
    admin = await asyncpg.connect(base.database_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        result: dict[str, Any] = await _measure(settings, dsn, n, sample, seed)
        return result
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        await delete_topics(base.kafka_bootstrap_servers, prefix)


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(*(int(a) for a in sys.argv[1:4])))))
