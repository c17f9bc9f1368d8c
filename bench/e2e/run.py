"""One end-to-end run: namespace, population, services, hub subscription, stepped load."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from bench.e2e.measure import Step, first_arrivals
from bench.e2e.seed import publish_vacancies, seed_profiles, timed
from bench.hub.deliveries import Receiver
from bench.hub.kafka_state import Offsets, service_of
from bench.hub.load import Loader
from bench.hub.postings import Postings, region_postcodes
from bench.hub.processes import Hub, free_port
from bench.hub.setup import Namespace, provision, subscribe, subscription_stored
from bench.hub.waiting import until
from bench.matching.synthetic import Synthetic
from deploy.hub import launcher
from shared.reference.geo import PostcodeDirectory

REGION = "berlin"


@dataclass(frozen=True, slots=True)
class Options:
    """What the command line chose."""

    profiles: int
    vacancies: int
    rates: list[float]
    step_s: float
    degraded_ms: float
    seed: int
    profile_s: float  # py-spy seconds per service after the steps; 0: none
    headline: float = 100.0  # the rate whose latency is the headline figure
    service_env: dict[str, str] = field(default_factory=dict)  # settings to try
    warmup_s: float = 30.0  # unmeasured load at the first rate before the steps; 0: none


def service_env(ns: Namespace, redis_url: str) -> dict[str, str]:
    """The services' environment: the namespace, JSON logs, loopback webhooks allowed."""
    return {
        **ns.env(redis_url), "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING",
        # One firm posts everything here; the per-key limit would cap the load, not the hub.
        "PROFILES_RATE_LIMIT_REQUESTS": "100000000",
        "PROFILES_ALLOW_INSECURE_WEBHOOKS": "true",
        "NOTIFICATIONS_ALLOW_INSECURE_LOCALHOST": "true",
    }  # fmt: skip


@dataclass
class Run:
    """State of one benchmark run, filled in as it goes."""

    options: Options
    ns: Namespace
    redis_url: str
    result: dict[str, Any] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)

    async def populate(self, postings: Postings, in_region: Any) -> None:
        """Profiles into the matcher's table; vacancies through Kafka (see seed.py)."""
        o, clock = self.options, timed()
        postings.profiles += await seed_profiles(
            self.ns.database_url, postings.synthetic, o.profiles, in_region
        )
        self.result["seed_profiles_s"] = clock()
        self.result["partners"] = {"profiles": len(postings.profiles)}

    async def publish(self, postings: Postings, in_region: Any, offsets: Offsets) -> None:
        """The vacancies on Kafka; wait until every consumer has caught up."""
        clock = timed()
        found, size = await publish_vacancies(
            self.ns.kafka, self.ns.prefix, postings.synthetic, self.options.vacancies, in_region
        )
        postings.vacancies += found
        self.result["event_bytes"] = size
        await settle(offsets, within=900)
        self.result["seed_vacancies_s"] = clock()
        self.result["partners"]["vacancies"] = len(found)


async def settle(offsets: Offsets, *, within: float, services: tuple[str, ...] = ()) -> None:
    """Wait until no consumer group of the run (or of the named services) has records left."""

    async def drained() -> bool:
        lag = await offsets.lag()
        mine = [
            n for g, n in lag.items() if not services or service_of(g, offsets.prefix) in services
        ]
        return bool(lag) and not any(mine)

    await until(drained, within=within, what="every consumer to catch up", interval=0.5)


async def start_hub(run: Run) -> Hub:
    """The three services on free ports; matching loads the seeded profiles at start-up."""
    ports = {name: free_port() for name in launcher.SERVICES}
    hub = Hub({**service_env(run.ns, run.redis_url), **run.options.service_env}, ports)
    clock = timed()
    await hub.start(*launcher.SERVICES)
    run.result["start_s"] = clock()
    return hub


async def hub_receiver(run: Run, hub: Hub) -> tuple[Receiver, dict[str, str]]:
    """Provision a firm and the hub, subscribe the hub, start the verifying receiver."""
    keys = await provision(run.ns.database_url, REGION)
    port = free_port()
    created = await subscribe(
        hub.url("profiles"), keys["hub"], f"http://127.0.0.1:{port}/hook", ["match.found"]
    )
    receiver = Receiver(port, created["signing_secret"])
    await receiver.start()
    await subscription_stored(run.ns.database_url, created["id"], within=60)
    return receiver, keys


def postings_for(seed: int) -> tuple[Postings, Any]:
    """The posting stream and a test for 'postcode in the hub's region'."""
    directory = PostcodeDirectory.load()
    codes = region_postcodes(directory, REGION)
    inside = frozenset(codes)
    return Postings(Synthetic(seed, directory), codes), inside.__contains__


async def step(loader: Loader, rate: float, seconds: float) -> Step:
    """Hold one target rate; answers still outstanding at the end are awaited."""
    before, skipped = len(loader.acks), loader.skipped
    began = time.time()
    await loader.run(rate, seconds)
    ended = time.time()
    await loader.drain()
    return Step(rate, began, ended, loader.acks[before:], loader.skipped - skipped)


def summaries(run: Run, receiver: Receiver) -> list[dict[str, Any]]:
    """Per-step figures with the deliveries received so far."""
    first = first_arrivals(receiver.seen, [a for s in run.steps for a in s.acks])
    return [s.summary(first, run.options.degraded_ms) for s in run.steps]


async def wait_for_webhooks(receiver: Receiver, offsets: Offsets) -> None:
    """After a step: matching and notifications caught up, no webhook arrived for a second.

    The profiles service's read-model projections may still lag; that lag is reported,
    not waited for, since no webhook depends on it.
    """
    await settle(offsets, within=300, services=("matching", "notifications"))
    seen = [-1]

    async def quiet() -> bool:
        receiver.collect()
        unchanged = len(receiver.seen) == seen[0]
        seen[0] = len(receiver.seen)
        return unchanged

    await until(quiet, within=120, what="webhooks to stop arriving", interval=1.0)
