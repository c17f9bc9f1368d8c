"""A fault run: dedicated servers, the hub, steady load, each fault in turn, then the checks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from typing import Any

import asyncpg

from bench.chaos.checks import settled, verify
from bench.chaos.faults import FAULTS, Target
from bench.chaos.servers import Servers
from bench.chaos.table import Row, format_row
from bench.e2e.measure import first_arrivals
from bench.hub.deliveries import Receiver
from bench.hub.kafka_state import Offsets
from bench.hub.load import Loader, acknowledged, not_problem_details
from bench.hub.postings import Postings, region_postcodes
from bench.hub.processes import Hub, free_port
from bench.hub.setup import Namespace, provision, subscribe, subscription_stored
from bench.hub.waiting import until
from bench.matching.synthetic import Synthetic
from deploy.hub import launcher
from shared.kafka_admin import ensure_topics
from shared.reference.geo import PostcodeDirectory

REGION = "berlin"
# Retries come quickly and never run out during a run, so that a receiver outage
# delays notifications instead of parking them (parking is its own, tested path).
DELIVERY_ENV = {
    "NOTIFICATIONS_WEBHOOK_BACKOFF_CAP_S": "2", "NOTIFICATIONS_WEBHOOK_MAX_ATTEMPTS": "1000",
    "NOTIFICATIONS_BREAKER_COOLDOWN_S": "1", "NOTIFICATIONS_ALLOW_INSECURE_LOCALHOST": "true",
    "PROFILES_ALLOW_INSECURE_WEBHOOKS": "true", "PROFILES_RATE_LIMIT_REQUESTS": "100000000",
    "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Options:
    """Size of the run."""

    rate: float = 10.0  # postings per second
    per_phase: int = 20  # postings acknowledged before, during (where possible) and after a fault
    settle_s: float = 120.0  # every consumer must catch up within this after the load stops
    faults: tuple[str, ...] = tuple(FAULTS)
    seed: int = 11


@asynccontextmanager
async def system(options: Options) -> AsyncIterator[Target]:
    """Servers, services, the hub's subscription and receiver; everything removed afterwards."""
    servers = Servers.create()
    hub, receiver = None, None
    try:
        await asyncio.to_thread(servers.up)
        ns = Namespace(servers.cfg.kafka_bootstrap, servers.cfg.database.url, "chaos.")
        await ensure_topics(ns.kafka, ns.prefix)
        env = {**ns.env(servers.cfg.redis_url), **DELIVERY_ENV}
        hub = Hub(env, {name: free_port() for name in launcher.SERVICES})
        await hub.start(*launcher.SERVICES)
        keys = await provision(ns.database_url, REGION)
        port = free_port()
        url = f"http://127.0.0.1:{port}/hook"
        created = await subscribe(hub.url("profiles"), keys["hub"], url, ["match.found"])
        receiver = Receiver(port, created["signing_secret"])
        await receiver.start()
        await subscription_stored(ns.database_url, created["id"], within=60)
        directory = PostcodeDirectory.load()
        postings = Postings(Synthetic(options.seed, directory), region_postcodes(directory, REGION))
        async with Loader(hub.url("profiles"), keys["firm"], postings, max_in_flight=200) as loader:
            yield Target(servers, hub, receiver, loader, options.per_phase)
    finally:
        if receiver is not None:
            receiver.stop()
        if hub is not None:
            hub.stop_all()
        await asyncio.to_thread(servers.down)


def namespace_of(t: Target) -> Namespace:
    """The run's namespace, from the services' environment."""
    env = t.hub.env
    return Namespace(env["KAFKA_BOOTSTRAP_SERVERS"], env["DATABASE_URL"], env["KAFKA_TOPIC_PREFIX"])


async def settle(t: Target, ns: Namespace, within: float) -> float:
    """Seconds until the system settled (see checks.settled); TimeoutError after `within`."""
    began = time.monotonic()
    conn = await asyncpg.connect(ns.database_url)
    try:
        async with Offsets(ns.kafka, ns.prefix) as offsets:

            async def done() -> bool:
                t.receiver.collect()
                received = len({d.delivery_id for d in t.receiver.seen if d.ok})
                return await settled(conn, await offsets.lag(), received)

            await until(
                done,
                within=within,
                what="consumers to catch up and deliveries to arrive",
                interval=0.25,
            )
    finally:
        await conn.close()
    return time.monotonic() - began


def recovery(t: Target, repaired: float) -> float:
    """Repair → first webhook naming a posting acknowledged after the repair."""
    first = first_arrivals(t.receiver.seen, t.loader.acks)
    after = [first.caused_by(a) for a in acknowledged(t.loader.acks) if a.answered >= repaired]
    times = [x for x in after if x is not None]
    return min(times, default=float("nan")) - repaired


async def phase(t: Target, name: str, options: Options) -> Row:
    """Steady load, the fault and its repair, more load; then settle and check everything."""
    ns, stop, start = namespace_of(t), asyncio.Event(), len(t.loader.acks)
    repeats_before = _repeats(t)
    load = asyncio.create_task(t.loader.run(options.rate, 1e9, stop))
    await until(
        lambda: _grown(t, start, options.per_phase), within=120, what="load before the fault"
    )
    injected = time.time()
    await FAULTS[name](t)
    repaired = time.time()
    after = len(t.loader.acks)
    await until(
        lambda: _grown(t, after, options.per_phase), within=180, what="load after the repair"
    )
    stop.set()
    await load
    await t.loader.drain()
    settle_s = await settle(t, ns, options.settle_s)
    verdict = await verify(ns, acknowledged(t.loader.acks), t.receiver.seen)
    mine = t.loader.acks[start:]
    return Row(
        name,
        repaired - injected,
        recovery(t, repaired),
        settle_s,
        len(acknowledged(mine)),
        len(mine) - len(acknowledged(mine)),
        len(not_problem_details(mine)),
        len(verdict.lost),
        verdict.matches_differ,
        verdict.missing_notifications + verdict.unexpected_notifications,
        verdict.ids_per_notification,
        _repeats(t) - repeats_before,
        verdict.ok,
    )


async def _grown(t: Target, start: int, n: int) -> bool:
    return len(acknowledged(t.loader.acks[start:])) >= n


def _repeats(t: Target) -> int:
    ok = [d for d in t.receiver.seen if d.ok]
    return len(ok) - len({d.delivery_id for d in ok})


async def run(options: Options) -> tuple[list[Row], dict[str, Any]]:
    """Every chosen fault in turn; the rows and the final verdict's details."""
    rows: list[Row] = []
    async with system(options) as t:
        for name in options.faults:
            rows.append(await phase(t, name, options))
            print(format_row(rows[-1]), flush=True)
        final = await verify(namespace_of(t), acknowledged(t.loader.acks), t.receiver.seen)
        odd = {(a.status, a.content_type, a.detail) for a in not_problem_details(t.loader.acks)}
        final.details += [f"error answer without problem details: {o}" for o in sorted(odd)]
        if not final.ok:  # the services' own words on what went wrong (WARNING and above)
            final.details += [
                f"{name}: {line[:300]}"
                for name in launcher.SERVICES
                for line in t.hub.tail(name, 8).splitlines()
            ]
    return rows, asdict(final)
