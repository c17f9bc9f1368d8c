"""Matching at 10k, 100k and 1M profiles (vacancies a fifth of that), against brute force.

Measures the matcher's domain/index layer in-process (no Kafka, no PostgreSQL), one
process per size so each peak RSS is that size's own, on synthetic profiles and
vacancies drawn from ESCO's occupation–skill relations and real postal codes
(bench/matching/synthetic.py). The brute-force scorer runs the same scoring function
over every stored profile on a sample of the same vacancies, in the same run. Then
the restart: the largest size seeded into PostgreSQL and loaded as the service does.

    .venv/bin/python bench/matching_bench.py [--sizes 10000,100000,1000000]
        [--service 10000] [--restart 1000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from typing import Any

TARGET_P99_MS, TARGET_RSS_MIB, TARGET_PER_S = 50.0, 2048.0, 500.0


def _child(module: str, *args: int) -> dict[str, Any]:
    out = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", module, *map(str, args)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _sample(size: int) -> int:
    # Brute force at 1M costs seconds per event: a sample bounds the run.
    return 200 if size <= 10_000 else 50 if size <= 100_000 else 20


def _print_size(r: dict[str, Any]) -> None:
    print(
        f"{r['profiles']:>9,} profiles {r['vacancies']:>7,} vacancies | load {r['load_s']:6.1f} s"
        f" | vacancy event p50 {r['p50_ms']:6.2f} ms p99 {r['p99_ms']:6.2f} ms"
        f" ({r['opened']:,} events, {r['open_per_s']:,.0f}/s, {r['match_events']:,} match events)"
        f" | mixed vacancy+profile {r['mixed_per_s']:,.0f}/s, profile p99"
        f" {r['mixed_profile_p99_ms']:.2f} ms | peak RSS {r['peak_rss_mib']:,.0f} MiB"
    )
    ratio50 = r["brute_p50_ms"] / max(r["row_p50_ms"], 1e-6)
    ratio99 = r["brute_p99_ms"] / max(r["row_p99_ms"], 1e-6)
    print(
        f"{'':>9}   retrieval+scoring of one row, {r['sample']} sampled vacancies:"
        f" index p50 {r['row_p50_ms']:.2f} ms p99 {r['row_p99_ms']:.2f} ms;"
        f" brute force p50 {r['brute_p50_ms']:.1f} ms p99 {r['brute_p99_ms']:.1f} ms;"
        f" brute/index {ratio50:,.0f}x (p50) {ratio99:,.0f}x (p99);"
        f" rows identical {r['rows_equal']}/{r['sample']}"
    )


def _verdicts(results: list[dict[str, Any]]) -> None:
    by_size = {r["profiles"]: r for r in results}
    for size, r in sorted(by_size.items()):
        bigger = by_size.get(size * 10)
        if bigger:
            print(f"p99 growth {size:,} -> {size * 10:,}: {bigger['p99_ms'] / r['p99_ms']:.1f}x")
    if 1_000_000 in by_size:
        r = by_size[1_000_000]
        ok = r["p99_ms"] <= TARGET_P99_MS and r["peak_rss_mib"] <= TARGET_RSS_MIB
        print(
            f"1M: p99 {r['p99_ms']:.1f} ms, RSS {r['peak_rss_mib']:,.0f} MiB ->",
            "met" if ok else "MISSED",
        )
    if 100_000 in by_size:
        per_s = by_size[100_000]["open_per_s"]
        print(
            f"100k: {per_s:,.0f} vacancy events/s ->", "met" if per_s >= TARGET_PER_S else "MISSED"
        )


def main() -> None:
    """Run every size in its own process and print the figures side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--max-events", type=int, default=20_000, help="vacancy events timed")
    parser.add_argument("--restart", type=int, default=0, help="profiles for the restart run")
    parser.add_argument("--service", type=int, default=10_000, help="profiles, full path; 0: skip")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print("in-process: the matcher's domain/index layer, no Kafka, no PostgreSQL")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        results.append(
            _child("bench.matching.inprocess", size, _sample(size), args.max_events, args.seed)
        )
        _print_size(results[-1])
    _verdicts(results)
    if args.service:
        r = _child("bench.matching.service", args.service, 200, args.seed)
        print(
            f"full path (service process, Kafka + PostgreSQL), {r['profiles']:,} profiles:"
            f" profile events {r['profile_per_s']:,.0f}/s, vacancy events"
            f" {r['vacancy_per_s']:,.0f}/s; one vacancy event publish -> committed"
            f" p50 {r['p50_ms']:.1f} ms p99 {r['p99_ms']:.1f} ms ({r['sample']} events);"
            f" service peak RSS {r['peak_rss_mib']:,.0f} MiB"
        )
    if args.restart:
        r = _child("bench.matching.restart", args.restart, args.seed)
        print(
            f"restart from PostgreSQL: {r['rows_loaded']:,} rows ({r['profiles']:,} profiles)"
            f" loaded in {r['restart_s']:.1f} s, peak RSS {r['peak_rss_mib']:,.0f} MiB"
        )


if __name__ == "__main__":
    main()
