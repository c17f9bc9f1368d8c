"""`python -m bench.chaos`: faults one at a time under steady load, on dedicated servers.

Starts its own Kafka, PostgreSQL and Redis on free ports under a temp dir (the shared
development servers are never stopped), the three services, a hub's webhook
subscription and a verifying receiver; then, per fault: postings through the API,
the fault and its repair, more postings, wait until everything settled, and check
that nothing acknowledged was lost, that the matches equal those of a fault-free run
(the matcher's engine in-process over the same inputs), and that every notification
arrived under one delivery id. Prints a markdown table; exits 1 on any failure.

    .venv/bin/python -m bench.chaos [--rate 20] [--per-phase 100] [--fault NAME ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import asdict

from bench.chaos.faults import FAULTS
from bench.chaos.run import Options, run
from bench.chaos.table import HEADER
from bench.e2e.report import RESULTS


def options() -> Options:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=20.0, help="postings per second")
    parser.add_argument("--per-phase", type=int, default=100, help="postings before/after a fault")
    parser.add_argument("--settle-s", type=float, default=120.0)
    parser.add_argument("--fault", action="append", choices=sorted(FAULTS), help="repeatable")
    a = parser.parse_args()
    faults = tuple(a.fault) if a.fault else tuple(FAULTS)
    return Options(a.rate, a.per_phase, a.settle_s, faults)


def main() -> int:
    """Run, print the table, keep the result as JSON under bench/results/."""
    o = options()
    print(f"faults under load: {o.rate:.0f} postings/s, {o.per_phase} per phase", flush=True)
    print(HEADER, flush=True)
    rows, final = asyncio.run(run(o))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"chaos-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"rows": [asdict(r) for r in rows], "final": final}, indent=2))
    failed = [r.fault for r in rows if not r.ok]
    print(f"final check over all {final['acknowledged']} acknowledged postings: "
          f"lost {len(final['lost'])}, matches differing {final['matches_differ']}, "
          f"notifications missing {final['missing_notifications']}")  # fmt: skip
    for line in final["details"]:
        print("  " + line)
    print(f"results: {out}")
    print("FAILED: " + ", ".join(failed) if failed else "no loss under any fault")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
