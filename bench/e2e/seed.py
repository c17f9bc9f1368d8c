"""The population: profiles written straight into the matcher's tables, vacancies through Kafka.

Profiles (the bulk) are inserted as the matcher stores them — the last event's body per
id, as bench/matching/restart.py seeds them — before the matching service starts, so
it loads them at start-up like any restart. Vacancies are then published on the
canonical vacancies topic as the profiles service's outbox relay would publish them,
so the matcher computes every vacancy's row and match events the ordinary way; the
run waits until every consumer has caught up. The profiles service's own schema holds
neither: the load's postings do not need it, and bypassing the API keeps seeding to
about a minute.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from aiokafka import AIOKafkaProducer

from bench.hub.postings import Side
from bench.matching.synthetic import Synthetic
from services.matching.bootstrap import MIGRATIONS
from services.matching.service_layer.unit_of_work import SCHEMA
from shared.db import create_pool
from shared.events import CONTENT_TYPE, CloudEvent
from shared.migrations import migrate
from shared.topics import VACANCIES, qualified

CHUNK = 20_000
_INSERT = """
INSERT INTO profiles (id, version, body)
SELECT i, v, b::jsonb FROM unnest($1::uuid[], $2::int[], $3::text[]) AS t(i, v, b)
"""


async def seed_profiles(
    database_url: str, syn: Synthetic, n: int, in_region: Callable[[str], bool]
) -> list[Side]:
    """Insert n profiles into the matcher's table; the ones in the region, as partners."""
    partners = []
    pool = await create_pool(database_url, schema=SCHEMA)
    try:
        async with pool.acquire() as conn:
            await migrate(conn, schema=SCHEMA, sources=MIGRATIONS)
            for start in range(0, n, CHUNK):
                rows = []
                for _ in range(min(CHUNK, n - start)):
                    p = syn.profile()
                    if in_region(p.postcode):
                        partners.append(Side.of_profile(p))
                    rows.append((uuid.UUID(p.subject()), p.version, p.model_dump_json()))
                ids, versions, bodies = zip(*rows, strict=True)
                await conn.execute(_INSERT, ids, versions, bodies)
    finally:
        await pool.close()
    return partners


async def publish_vacancies(
    bootstrap: str, prefix: str, syn: Synthetic, n: int, in_region: Callable[[str], bool]
) -> tuple[list[Side], float]:
    """Publish n VacancyOpened events; the region's as partners, and the mean record size."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5
    )
    await producer.start()
    partners, size, topic = [], 0, qualified(VACANCIES, prefix)
    try:
        pending = []
        for _ in range(n):
            v = syn.vacancy()
            if in_region(v.postcode):
                partners.append(Side.of_vacancy(v))
            value = CloudEvent.wrap(v, source="profiles").to_bytes()
            size += len(value)
            headers = [("content-type", CONTENT_TYPE.encode())]
            pending.append(
                await producer.send(topic, value, key=v.subject().encode(), headers=headers)
            )
        for future in pending:
            await future
    finally:
        await producer.stop()
    return partners, size / max(n, 1)


def timed() -> Callable[[], float]:
    """A stopwatch: call the result for the seconds elapsed."""
    began = time.monotonic()
    return lambda: time.monotonic() - began
