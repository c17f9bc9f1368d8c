"""Bulk import: `drehscheibe import vacancies` of generated CSV rows through the batch API.

Starts the profiles service as its own process on loopback (one uvicorn worker) in a
fresh database and topic namespace, generates a CSV export of --rows vacancies
(nested competences encoded as the importer documents), imports it with the CLI's
own code path (parse, local checks, batches with Idempotency-Keys, checkpoint after
every batch) and prints rows/s with the p50/p99 latency of one batch request.
Bounded: 100k rows take about a minute or two on a 2-core machine.

    .venv/bin/python bench/import_bench.py [--rows 100000] [--batch-size 500] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.api_bench import _free_port, fresh_database, percentile  # noqa: E402
from deploy.hub import launcher  # noqa: E402
from operators.importing.checkpoint import Checkpoint  # noqa: E402
from operators.importing.client import BatchClient  # noqa: E402
from operators.importing.kinds import Kind  # noqa: E402
from operators.importing.rows import read_rows  # noqa: E402
from operators.importing.runner import BatchPolicy, Timings, run_import  # noqa: E402
from services.profiles.adapters.reference import Reference  # noqa: E402
from services.profiles.config import ProfilesSettings  # noqa: E402
from services.profiles.entrypoints.cli import run_admin  # noqa: E402
from services.profiles.service_layer import access  # noqa: E402
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork  # noqa: E402
from shared.events import OrganisationKind  # noqa: E402
from shared.kafka_admin import delete_topics, ensure_topics  # noqa: E402
from shared.settings import DEFAULT_DATABASE_URL, DEFAULT_KAFKA  # noqa: E402

CHEMIKANT = "http://data.europa.eu/esco/occupation/5b3ef95b-7d99-4af9-b2d0-41c6bc33f58c"
SKILLS = (
    "http://data.europa.eu/esco/skill/13f22eb5-e3a8-405a-9d89-c8124d4a239a",
    "http://data.europa.eu/esco/skill/74aa00bc-db99-4984-8817-7df2ca954ea1",
)
POSTCODES = ("06237", "06217", "06258", "06108", "66111", "24103", "10115", "80331")


def export(rows: int, seed: int = 7) -> str:
    """A CSV export of `rows` vacancies, as an agency would write it."""
    rnd = random.Random(seed)  # noqa: S311 -- test data, not secrets
    lines = ["occupation,competences,postcode,radius_km,title,openings"]
    for n in range(rows):
        competences = ";".join(f"{s}|{rnd.randint(1, 5)}|must" for s in SKILLS)
        postcode, radius = rnd.choice(POSTCODES), rnd.randint(10, 80)
        lines.append(f'{CHEMIKANT},"{competences}",{postcode},{radius},Stelle {n},1')
    return "\n".join(lines) + "\n"


def agency_key(database: str) -> str:
    """A fresh agency and its API key."""

    async def action(uow: ProfilesUnitOfWork, ref: Reference, pepper: bytes) -> str:
        org = await access.create_organisation(
            uow, ref, kind=OrganisationKind.AGENCY, name="bench agency", region_ids=[]
        )
        return (await access.issue_key(uow, pepper, org.id))[1]

    settings = ProfilesSettings.model_validate({"database_url": database})
    return asyncio.run(run_admin(settings, action))


async def import_rows(base_url: str, key: str, text: str, policy: BatchPolicy) -> dict[str, float]:
    """Parse and import; the figures of the run."""
    began = time.perf_counter()
    rows = read_rows(text, Kind.VACANCIES, "csv")
    timings = Timings()
    with tempfile.TemporaryDirectory() as tmp:
        state = Checkpoint.open(Path(tmp) / "state.json", digest="bench", kind="vacancies")
        headers = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=120) as http:
            done = await run_import(
                rows, Kind.VACANCIES, BatchClient(http), state, policy=policy, timings=timings
            )
    elapsed = time.perf_counter() - began
    return {
        "rows": len(rows), "stored": done.stored, "rejected": done.rejected_rows,
        "seconds": elapsed, "per_s": done.stored / elapsed, "batches": len(timings.seconds),
        "p50_ms": percentile(timings.seconds, 0.5) * 1000,
        "p99_ms": percentile(timings.seconds, 0.99) * 1000,
    }  # fmt: skip


async def run(rows: int, policy: BatchPolicy) -> dict[str, float]:
    """Start the API on a fresh database and topics, import, stop everything."""
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA)
    prefix = f"bench{uuid.uuid4().hex[:8]}."
    await ensure_topics(kafka, prefix)
    async with fresh_database(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)) as database:
        env = {
            "DATABASE_URL": database, "KAFKA_BOOTSTRAP_SERVERS": kafka,
            "KAFKA_TOPIC_PREFIX": prefix, "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING",
        }  # fmt: skip
        proc = launcher.start("profiles", port=_free_port(), env=env, cwd=REPO)
        try:
            await asyncio.to_thread(launcher.wait_ready, [proc])
            key = await asyncio.to_thread(agency_key, database)
            return await import_rows(proc.base_url, key, export(rows), policy)
        finally:
            launcher.stop(proc)
            await delete_topics(kafka, prefix)


def main() -> None:
    """Parse arguments, run, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="Vacancies to import.")
    parser.add_argument("--batch-size", type=int, default=500, help="Rows per request.")
    parser.add_argument("--concurrency", type=int, default=2, help="Requests in flight.")
    args = parser.parse_args()
    policy = BatchPolicy(size=args.batch_size, concurrency=args.concurrency)
    r = asyncio.run(run(args.rows, policy))
    print(f"{'rows':>7} {'stored':>7} {'rejected':>8} {'seconds':>8} {'rows/s':>7} "
          f"{'batches':>7} {'batch p50 ms':>12} {'batch p99 ms':>12}")  # fmt: skip
    print(
        f"{r['rows']:>7.0f} {r['stored']:>7.0f} {r['rejected']:>8.0f} {r['seconds']:>8.1f}"
        f" {r['per_s']:>7.0f} {r['batches']:>7.0f} {r['p50_ms']:>12.1f} {r['p99_ms']:>12.1f}"
    )


if __name__ == "__main__":
    main()
