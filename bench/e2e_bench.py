"""The whole hub under load: end-to-end latency from the API's answer to the signed webhook,
the sustained posting rate, consumer lag per service, peak RSS per process, and the
hub's throughput as a share of the broker's raw ceiling.

Runs the three services as their own processes against the local stack, in a fresh
database and topic namespace (removed afterwards), seeds a population (see
bench/e2e/seed.py), subscribes a regional hub with a verifying webhook receiver, then
has a firm post vacancies and staff releases through the API open-loop, stepping the
rate up until latency degrades. Writes JSON and a PNG chart under bench/results/.

    .venv/bin/python bench/e2e_bench.py [--profiles 100000] [--vacancies 20000]
        [--rates 20,30,40,50,100,200,300,400] [--step-s 20] [--degraded-ms 1000] [--profile-s 15]
        [--warmup-s 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import kafka_ceiling
from bench.e2e import profiling, report
from bench.e2e.measure import Timeline, cpu_cost, first_arrivals, latencies
from bench.e2e.run import (
    Options,
    Run,
    hub_receiver,
    postings_for,
    start_hub,
    step,
    summaries,
    wait_for_webhooks,
)
from bench.hub.kafka_state import Offsets
from bench.hub.load import Loader
from bench.hub.processes import Hub
from bench.hub.setup import namespace
from shared.settings import DEFAULT_DATABASE_URL, DEFAULT_KAFKA, DEFAULT_REDIS_URL
from shared.topics import TOPICS, qualified

STAGES = {  # where a posting's time goes, by the code a sampled stack passes through
    "http+validation": "entrypoints/http", "database": "asyncpg", "kafka": "aiokafka",
    "matching engine": "matching/domain", "webhook sending": "aiohttp",
}  # fmt: skip


async def load_steps(run: Run, loader: Loader, timeline: Timeline) -> None:
    """Step the rate up until a step is not sustained."""
    for rate in run.options.rates:
        # The load generator (this process) and the webhook receiver share the machine.
        load = (os.getpid(), timeline.receiver.pid())
        cpu_before, began = timeline.hub.sample_cpu(load), time.monotonic()
        run.steps.append(await step(loader, rate, run.options.step_s))
        await wait_for_webhooks(timeline.receiver, timeline.offsets)
        # Figured now, once the step has drained: a webhook that comes later belongs to a
        # later posting's re-ranking, not to this step's postings.
        summary = summaries(run, timeline.receiver)[-1]
        # CPU from the step's start until its work has drained: what its postings cost.
        summary.update(cpu_cost(cpu_before, timeline.hub.sample_cpu(load), summary["acknowledged"],
                                time.monotonic() - began))  # fmt: skip
        run.result.setdefault("steps", []).append(summary)
        run.result.setdefault("latencies", {})[rate] = step_latencies(run, timeline.receiver)
        report.print_steps([summary])
        # Past a degraded step only more backlog follows; the headline rate is always run.
        if not summary["sustained"] and rate >= run.options.headline:
            break


async def warm_up(run: Run, loader: Loader, receiver: Any, offsets: Offsets) -> None:
    """Unmeasured load at the first rate, so that the steps meet a warm hub.

    A broker that has just started spends more CPU in its JIT compiler than in serving
    requests for its first minutes (on this machine, its compiler threads used twice
    the CPU of its request threads during a first 30 s step), and the services fill
    their caches and prepared statements. A hub in service is warm; so are its figures.
    """
    if run.options.warmup_s <= 0:
        return
    rate = run.options.rates[0]
    began = time.monotonic()
    warm = await step(loader, rate, run.options.warmup_s)
    await wait_for_webhooks(receiver, offsets)
    took = time.monotonic() - began
    run.result["warmup"] = {"rate": rate, "postings": len(warm.acks), "took_s": took}
    print(f"warmed up: {len(warm.acks)} postings at {rate:g}/s, not measured", flush=True)


async def profile_phase(run: Run, loader: Loader, timeline: Timeline, hub: Hub) -> dict[str, Any]:
    """py-spy on every service at the best sustained rate, apart from the measured steps."""
    held = [f["target_per_s"] for f in run.result["steps"] if f["sustained"]]
    rate, seconds = max(held, default=run.options.rates[0]), run.options.profile_s
    sampling = asyncio.create_task(
        profiling.record(hub.pids(), seconds, report.RESULTS / "profiles")
    )
    await step(loader, rate, seconds)
    spots = {}
    for name, path in (await sampling).items():
        spots[name] = {"rate": rate, "top": profiling.hotspots(path),
                       "stages": profiling.stages(path, STAGES)}  # fmt: skip
    await wait_for_webhooks(timeline.receiver, timeline.offsets)
    return spots


async def measure(run: Run) -> dict[str, Any]:
    """Populate, start, subscribe, load; the raw result."""
    postings, inside = postings_for(run.options.seed)
    run.result.update(steps=[], latencies={})
    await run.populate(postings, inside)
    hub = await start_hub(run)
    receiver = None
    try:
        async with Offsets(run.ns.kafka, run.ns.prefix, groups_ttl_s=5.0) as offsets:
            await run.publish(postings, inside, offsets)
            print(f"seeded in {run.result['seed_profiles_s'] + run.result['seed_vacancies_s']:.0f}"
                  f" s; partners in the region: {run.result['partners']}", flush=True)  # fmt: skip
            receiver, keys = await hub_receiver(run, hub)
            async with Loader(hub.url("profiles"), keys["firm"], postings) as loader:
                await warm_up(run, loader, receiver, offsets)
                before = {t: await offsets.end_offsets(t) for t in topics(offsets.prefix)}
                db = await asyncpg.connect(run.ns.database_url)
                timeline = Timeline(hub, receiver, offsets, lambda: len(loader.acks), pending(db))
                stop = asyncio.Event()
                marks = hub.output_marks()  # warnings of the load phases only
                sampler = asyncio.create_task(timeline.run(stop))
                await load_steps(run, loader, timeline)
                after = {t: await offsets.end_offsets(t) for t in topics(offsets.prefix)}
                by_topic = {t.removeprefix(offsets.prefix): after[t] - before[t] for t in after}
                run.result["records_by_topic"] = {t: n for t, n in by_topic.items() if n}
                run.result["records_total"] = sum(by_topic.values())
                run.result["profiling"] = (
                    await profile_phase(run, loader, timeline, hub) if run.options.profile_s else {}
                )
                stop.set()
                await sampler
                await db.close()
            run.result["timeline"] = timeline.samples
        run.result["peak_rss_mib"] = hub.sample_rss()
        run.result["warnings"] = hub.warnings(since=marks)
    finally:
        if receiver is not None:
            receiver.stop()
        hub.stop_all()
    return run.result


def pending(db: asyncpg.Connection[Any]) -> Callable[[], Awaitable[int]]:
    """Deliveries routed but not yet delivered (the notification service's backlog)."""

    async def count() -> int:
        query = "SELECT count(*) FROM notifications.deliveries WHERE status = 'pending'"
        return int(await db.fetchval(query))

    return count


def topics(prefix: str) -> list[str]:
    """Every topic of the run's namespace."""
    return [qualified(t.name, prefix) for t in TOPICS]


def step_latencies(run: Run, receiver: Any) -> list[float]:
    """End-to-end latencies (ms) of the last step's postings, as received so far."""
    first = first_arrivals(receiver.seen, [a for s in run.steps for a in s.acks])
    return [1000 * x for x in latencies(run.steps[-1].acks, first)]


def derive(result: dict[str, Any], ceiling: kafka_ceiling.Ceiling) -> None:
    """Sustained rate, ratios to the ceiling, peak lags."""
    held = [s for s in result["steps"] if s["sustained"]]
    result["sustained_per_s"] = max((s["achieved_per_s"] for s in held), default=0.0)
    postings = sum(s["acknowledged"] for s in result["steps"]) or 1
    result["records_per_posting"] = result["records_total"] / postings
    limit = min(ceiling.produce_per_s, ceiling.consume_per_s)
    result["ceiling"] = _ceiling(ceiling)
    result["ratio_postings"] = result["sustained_per_s"] / limit
    result["ratio_records"] = result["sustained_per_s"] * result["records_per_posting"] / limit
    # Also at the highest rate the API kept up with, whatever its latency.
    top = max((s["achieved_per_s"] for s in result["steps"]), default=0.0)
    result["top_per_s"], result["ratio_top_records"] = (
        top,
        top * result["records_per_posting"] / limit,
    )
    lags: dict[str, int] = {}
    for sample in result["timeline"]:
        for service, n in sample["lag"].items():
            lags[service] = max(lags.get(service, 0), n)
    result["max_lag"] = lags
    result["max_pending_deliveries"] = max(
        (s["pending_deliveries"] for s in result["timeline"]), default=0
    )
    result["hotspots"] = {k: v["top"][:4] for k, v in result["profiling"].items()}


def _ceiling(c: kafka_ceiling.Ceiling) -> dict[str, Any]:
    return {"messages": c.messages, "size": c.size, "produce_per_s": c.produce_per_s,
            "consume_per_s": c.consume_per_s}  # fmt: skip


def options() -> Options:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=20_000)
    parser.add_argument("--rates", default="20,30,40,50,100,200,300,400")
    parser.add_argument("--headline", type=float, default=100.0, help="rate always measured")
    parser.add_argument("--step-s", type=float, default=20.0)
    parser.add_argument("--degraded-ms", type=float, default=1000.0, help="p99 above: degraded")
    parser.add_argument("--profile-s", type=float, default=15.0, help="py-spy seconds; 0: none")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--warmup-s", type=float, default=30.0, help="unmeasured load at the first rate; 0: none"
    )
    parser.add_argument(
        "--service-env", action="append", default=[], metavar="NAME=VALUE",
        help="extra setting for the services, e.g. NOTIFICATIONS_ENDPOINT_CONCURRENCY=32",
    )  # fmt: skip
    a = parser.parse_args()
    rates = [float(r) for r in a.rates.split(",")]
    extra = dict(item.split("=", 1) for item in a.service_env)
    return Options(
        a.profiles, a.vacancies, rates, a.step_s, a.degraded_ms, a.seed, a.profile_s, a.headline,
        extra, a.warmup_s,
    )  # fmt: skip


async def main() -> None:
    """Measure, then the raw ceiling with records of the same size, then report."""
    o = options()
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA)
    database = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    print(f"end-to-end: {o.profiles:,} profiles, {o.vacancies:,} vacancies, rates {o.rates}")
    async with namespace(kafka, database, "e2e") as ns:
        result = await measure(Run(o, ns, redis))
    ceiling = await kafka_ceiling.measure(kafka, messages=50_000, size=int(result["event_bytes"]))
    derive(result, ceiling)
    result["headline"] = o.headline
    report.print_summary(result)
    data, chart = report.write(result, result.pop("latencies"))
    print(f"results: {data}\nchart:   {chart}")


if __name__ == "__main__":
    asyncio.run(main())
