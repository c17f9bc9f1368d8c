"""A small fault run in the test suite: every fault once, under light load, and no loss.

The run brings its own Kafka, PostgreSQL and Redis (dedicated servers on free ports
under a temp dir) because it stops and restarts them; `make chaos` runs the same code
with more load.
"""

from __future__ import annotations

import pytest

from bench.chaos.run import Options, run
from bench.chaos.table import format_row

pytestmark = pytest.mark.e2e


async def test_no_acknowledged_write_match_or_notification_is_lost_under_any_fault() -> None:
    rows, final = await run(Options(rate=8, per_phase=12, settle_s=120))
    table = "\n".join(format_row(r) for r in rows)
    assert [r.fault for r in rows] == list(Options().faults)
    assert all(r.ok for r in rows), table + "\n" + "\n".join(final["details"])
    assert final["acknowledged"] >= 12 * len(rows)
    assert final["lost"] == []
    assert final["matches_differ"] == 0
    assert final["missing_notifications"] == 0
    assert final["ids_per_notification"] == 0
    assert all(r.recovery_s == r.recovery_s for r in rows), table  # NaN: no webhook after repair
