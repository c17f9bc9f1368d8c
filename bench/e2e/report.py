"""Results of a run: printed figures, a JSON file and a PNG chart under bench/results/."""

from __future__ import annotations

import json
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

RESULTS = Path(__file__).resolve().parents[1] / "results"


def print_steps(steps: list[dict[str, Any]]) -> None:
    """One line per target rate."""
    print("  rate/s  achieved/s  acked  failed  webhooks   p50 ms   p95 ms   p99 ms  api p99  held")
    for s in steps:
        print(
            f"  {s['target_per_s']:>6.0f}  {s['achieved_per_s']:>10.1f}  {s['acknowledged']:>5}"
            f"  {s['failed'] + s['skipped']:>6}  {s['with_webhook']:>8}  {s['p50_ms']:>7.1f}"
            f"  {s['p95_ms']:>7.1f}  {s['p99_ms']:>7.1f}  {s['api_p99_ms']:>7.1f}"
            f"  {'yes' if s['sustained'] else 'NO'}"
        )
        if "cpu_ms_per_posting" in s:
            cost = ", ".join(f"{k} {v:.1f}" for k, v in s["cpu_ms_per_posting"].items())
            print(f"          CPU ms per posting: {cost}; machine busy {s['machine_busy']:.0%}")
        if s.get("slowest"):
            tail = ", ".join(
                f"{x['kind']}({x['ids']}) at {x['at_s']:.0f} s {x['ms']:.0f} ms"
                f" (matched {x['matched_ms']} ms)" for x in s["slowest"][:6]
            )  # fmt: skip
            print(f"          slowest: {tail}")
        if s.get("busiest"):
            most = ", ".join(f"{x['kind']} at {x['at_s']:.1f} s: {x['webhooks']}"
                             for x in s["busiest"])  # fmt: skip
            print(f"          most webhooks: {most}")


def print_summary(result: dict[str, Any]) -> None:
    """The headline figures against the targets."""
    at = [s for s in result["steps"] if s["target_per_s"] == result["headline"]]
    first = at[0] if at else result["steps"][0] if result["steps"] else {}
    print(f"end-to-end at {first.get('target_per_s', 0):.0f}/s: p50 {first.get('p50_ms', 0):.1f} ms"
          f", p95 {first.get('p95_ms', 0):.1f} ms, p99 {first.get('p99_ms', 0):.1f} ms"
          f" (target p99 <= 250 ms at 100/s)")  # fmt: skip
    print(f"sustained: {result['sustained_per_s']:.1f} postings/s (target >= 300/s)")
    c = result["ceiling"]
    print(f"raw Kafka ceiling ({c['size']} B records): produce {c['produce_per_s']:,.0f}/s,"
          f" consume {c['consume_per_s']:,.0f}/s; hub/ceiling {result['ratio_postings']:.2%}"
          f" in postings, {result['ratio_records']:.2%} in Kafka records"
          f" ({result['records_per_posting']:.1f} records per posting); at the highest rate"
          f" accepted, {result['top_per_s']:.0f} postings/s, {result['ratio_top_records']:.2%}"
          " in records")  # fmt: skip
    postings = sum(s["acknowledged"] for s in result["steps"]) or 1
    by_topic = sorted(result.get("records_by_topic", {}).items(), key=lambda kv: -kv[1])
    print("records per posting by topic: "
          + ", ".join(f"{t} {n / postings:.1f}" for t, n in by_topic))  # fmt: skip
    print("peak RSS MiB: " + ", ".join(f"{k} {v:,.0f}" for k, v in result["peak_rss_mib"].items()))
    print("max consumer lag (records): "
          + ", ".join(f"{k} {v:,}" for k, v in result["max_lag"].items()))  # fmt: skip
    print(f"most deliveries waiting in the ledger: {result['max_pending_deliveries']:,}")
    for service, spots in result.get("hotspots", {}).items():
        print(f"{service}: " + "; ".join(f"{name} {share:.0%}" for name, share in spots))


def write(result: dict[str, Any], latencies: dict[float, list[float]]) -> tuple[Path, Path]:
    """The JSON result and the chart; returns both paths."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    data, chart = RESULTS / f"e2e-{stamp}.json", RESULTS / f"e2e-{stamp}.png"
    data.write_text(json.dumps(result, indent=2, default=str))
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5))
    for rate, values in latencies.items():
        if values:
            ordered = sorted(values)
            ys = [i / len(ordered) for i in range(1, len(ordered) + 1)]
            left.plot(ordered, ys, label=f"{rate:.0f}/s")
    left.set(xscale="log", xlabel="API answer → signed webhook (ms)", ylabel="fraction",
             title="End-to-end latency by target rate")  # fmt: skip
    left.legend()
    _throughput(right, result["timeline"])
    fig.tight_layout()
    fig.savefig(chart, dpi=110)
    plt.close(fig)
    return data, chart


def _throughput(ax: Any, timeline: list[dict[str, Any]]) -> None:
    if len(timeline) < 2:
        return
    t0 = timeline[0]["t"]
    xs = [s["t"] - t0 for s in timeline[1:]]
    for key, label in (("acknowledged", "postings acknowledged/s"), ("webhooks", "webhooks/s")):
        ys = [(b[key] - a[key]) / max(b["t"] - a["t"], 1e-6) for a, b in pairwise(timeline)]
        ax.plot(xs, ys, label=label)
    lag = ax.twinx()
    for service in ("profiles", "matching", "notifications"):
        lag.plot(xs, [s["lag"].get(service, 0) for s in timeline[1:]], ":", label=f"lag {service}")
    pending = [s.get("pending_deliveries", 0) for s in timeline[1:]]
    lag.plot(xs, pending, "--", label="deliveries pending")
    lag.set_ylabel("consumer lag (records)")
    lag.legend(loc="upper right")
    ax.set(xlabel="seconds", ylabel="per second", title="Throughput and consumer lag over time")
    ax.legend(loc="upper left")
