"""Restart at scale: seed the matcher's tables with N profiles and N/5 vacancies, then time
loading them into the engine exactly as the service does at start-up (pages by change number).

Run as `python -m bench.matching.restart PROFILES SEED` in a process of its own; it
creates a database of its own, drops it afterwards and prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bench.matching.inprocess import rss_mib
from bench.matching.synthetic import Synthetic
from services.matching.bootstrap import MIGRATIONS, policy_of
from services.matching.config import MatchingSettings
from services.matching.domain.engine import Engine
from services.matching.service_layer import reference
from services.matching.service_layer.matcher import Matcher
from services.matching.service_layer.translate import Translator
from services.matching.service_layer.unit_of_work import SCHEMA, MatchingUnitOfWork
from shared.db import create_pool
from shared.migrations import migrate
from shared.reference.geo import PostcodeDirectory

CHUNK = 20_000
# One statement per chunk: bodies travel as text and become jsonb in the server.
_INSERT = """
INSERT INTO {table} (id, version, body)
SELECT i, v, b::jsonb FROM unnest($1::uuid[], $2::int[], $3::text[]) AS t(i, v, b)
"""


async def seed(pool: asyncpg.Pool[asyncpg.Record], syn: Synthetic, n: int) -> float:
    """COPY n profiles and n/5 vacancies (their last event's body); seconds taken."""
    began = time.perf_counter()
    async with pool.acquire() as conn:
        await migrate(conn, schema=SCHEMA, sources=MIGRATIONS)
        for table, count, make in (
            ("profiles", n, syn.profile),
            ("vacancies", n // 5, syn.vacancy),
        ):
            for start in range(0, count, CHUNK):
                rows = []
                for _ in range(min(CHUNK, count - start)):
                    e = make()
                    rows.append((uuid.UUID(e.subject()), e.version, e.model_dump_json()))
                ids, versions, bodies = zip(*rows, strict=True)
                await conn.execute(_INSERT.format(table=table), ids, versions, bodies)
    return time.perf_counter() - began


async def run(n: int, seed_: int) -> dict[str, Any]:
    """Seed a fresh database, then time Matcher.start() against it."""
    settings = MatchingSettings()
    name = f"dz_bench_{uuid.uuid4().hex[:10]}"
    dsn = urlunsplit(urlsplit(settings.database_url)._replace(path=f"/{name}"))
    admin = await asyncpg.connect(settings.database_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        pool = await create_pool(dsn, schema=SCHEMA)
        try:
            directory = PostcodeDirectory.load()
            await pool.execute("SET client_min_messages = warning")
            seeded = await seed(pool, Synthetic(seed_, directory), n)
            before = rss_mib()
            engine = Engine(policy_of(settings), reference.related_competences())
            matcher = Matcher(
                engine,
                Translator(directory, None),
                lambda: MatchingUnitOfWork(
                    pool, schema=SCHEMA, kafka=settings.kafka, source="bench"
                ),
                page=settings.load_page_size,
            )
            began = time.perf_counter()
            loaded = await matcher.start()
            took = time.perf_counter() - began
        finally:
            await pool.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return {
        "profiles": n,
        "rows_loaded": loaded,
        "seed_s": seeded,
        "restart_s": took,
        "rss_before_mib": before,
        "peak_rss_mib": rss_mib(),
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(int(sys.argv[1]), int(sys.argv[2])))))
