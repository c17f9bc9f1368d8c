"""The floor under the end-to-end benchmark: what the steps one posting must take cost in CPU
on this machine, each measured alone with the hub's own libraries and servers.

    .venv/bin/python bench/floor_bench.py [--requests 3000] [--records 20000]
        [--produced 15.2] [--consumed 23.3] [--deliveries 5.8] [--rows 45]

The steps: an HTTP request whose body FastAPI validates (client and server), a
PostgreSQL transaction writing a row and its outbox row, a row written in a batch,
a Kafka record produced and one consumed (client and broker), an event encoded and
one decoded and validated, a signed webhook sent and verified (sender and receiver).
Multiplied by what one posting causes in the end-to-end benchmark at 100,000
profiles (the defaults: records produced and consumed per posting and webhooks per
posting as `bench/e2e_bench.py` counted them; 45 of the ~75 rows its services write
per posting, counting only rows that carry an event or a read model), their sum is
a lower bound on the CPU per posting of this architecture with these libraries:
the services' own logic (matching, routing, access control, idempotency) is not in
it, nor is any waiting. Two cores at 100 % busy carry at most `cores / floor`
postings per second. Run it against a warm broker (one that has served load for a
few minutes): a freshly started one is still compiling its own code and costs
several times the CPU per record, which the floor would count as unavoidable.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.floor.steps import (
    Cost,
    database,
    http_request,
    kafka_records,
    signed_webhook,
)
from bench.hub.setup import namespace
from shared.events import CloudEvent, CompetenceGap, MatchFoundV1, ScoreComponent
from shared.events.registry import decode
from shared.settings import DEFAULT_DATABASE_URL, DEFAULT_KAFKA


def match_event() -> bytes:
    """A match event as the matcher publishes it: five components and a gap."""
    parts = ("competence", "region", "dqr", "availability", "working_time")
    payload = MatchFoundV1(
        version=1, vacancy_id=uuid.uuid4(), profile_id=uuid.uuid4(), vacancy_version=1,
        profile_version=1, score=0.8123, distance_km=12.34, occupation="8131.1",
        components=[ScoreComponent(name=n, value=0.8, weight=0.2, reason="6 of 7 requirements met")
                    for n in parts],
        gap=[CompetenceGap(competence_id=f"http://data.europa.eu/esco/skill/{uuid.uuid4()}",
                           required_level=3, held_level=2)],
        vacancy_district_code="11000", profile_district_code="11000",
    )  # fmt: skip
    return CloudEvent.wrap(payload, source="matching").to_bytes()


def codec(count: int, value: bytes) -> tuple[Cost, Cost]:
    """One event encoded (payload into envelope into bytes), and one decoded and validated."""
    _, payload = decode(value, [MatchFoundV1])
    began = time.process_time()
    for _ in range(count):
        CloudEvent.wrap(payload, source="matching").to_bytes()
    encoded = 1e6 * (time.process_time() - began) / count
    began = time.process_time()
    for _ in range(count):
        decode(value, [MatchFoundV1])
    decoded = 1e6 * (time.process_time() - began) / count
    return Cost("event encoded", encoded, 0.0), Cost("event decoded and validated", decoded, 0.0)


async def measure(a: argparse.Namespace) -> list[Cost]:
    """Every step, one after the other."""
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA)
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    value = match_event()
    costs = [await http_request(a.requests, 8391)]
    async with namespace(kafka, database_url, "floor") as ns:
        costs += await database(a.requests, ns.database_url, value)
        topic = f"{ns.prefix}hub.matches.v1"
        costs += await kafka_records(a.records, kafka, topic, len(value))
    costs += codec(a.records, value)
    costs.append(await signed_webhook(a.requests, 8392, value))
    return costs


def main() -> None:
    """Measure, compose per posting, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--produced", type=float, default=15.2, help="Kafka records per posting")
    parser.add_argument("--consumed", type=float, default=23.3, help="records consumed per posting")
    parser.add_argument("--deliveries", type=float, default=5.8, help="webhooks per posting")
    parser.add_argument("--rows", type=float, default=45.0, help="rows written per posting")
    a = parser.parse_args()
    costs = {c.step: c for c in asyncio.run(measure(a))}
    per_posting = {
        "HTTP request (FastAPI, validated body)": 1.0,
        "PostgreSQL transaction: row + outbox row": 1.0,
        "PostgreSQL row in a batch of 20": a.rows,
        "Kafka record produced (acks=all, idempotent)": a.produced,
        "event encoded": a.produced,
        "Kafka record consumed (batches of 20)": a.consumed,
        "event decoded and validated": a.consumed,
        "signed webhook sent and verified": a.deliveries,
    }
    print(f"{'step':48} {'client µs':>10} {'server µs':>10} {'per posting':>12} {'ms/posting':>11}")
    floor = 0.0
    for step, times in per_posting.items():
        c = costs[step]
        ms = c.total_us * times / 1000
        floor += ms
        print(f"{step:48} {c.client_us:10.1f} {c.server_us:10.1f} {times:12.1f} {ms:11.2f}")
    cores = os.cpu_count() or 1
    # The firm's HTTP client and the hub's receiver: the load generator, on this machine.
    harness = (
        costs["HTTP request (FastAPI, validated body)"].client_us
        + costs["signed webhook sent and verified"].server_us * a.deliveries
    ) / 1000
    print(f"floor: {floor:.1f} ms of CPU per posting; {cores} cores carry at most "
          f"{1000 * cores / floor:.0f} postings/s at 100 % busy")  # fmt: skip
    print(
        f"  without the load generator's {harness:.1f} ms (the firm's client, the hub's "
        f"receiver): {floor - harness:.1f} ms, at most {1000 * cores / (floor - harness):.0f}/s"
    )


if __name__ == "__main__":
    main()
