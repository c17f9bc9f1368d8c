"""The end-to-end benchmark's CPU accounting: per process from /proc, per posting by step."""

from __future__ import annotations

import os
import time

import pytest

from bench.e2e.measure import cpu_cost
from bench.hub.processes import cpu_seconds, machine_busy_seconds


def test_a_busy_process_and_the_machine_accumulate_cpu_time() -> None:
    mine, machine = cpu_seconds(os.getpid()), machine_busy_seconds()
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        pass  # burn CPU in this process
    assert cpu_seconds(os.getpid()) >= mine + 0.2
    assert machine_busy_seconds() >= machine + 0.2


def test_a_process_that_is_gone_has_used_nothing() -> None:
    assert cpu_seconds(2**22 + 1) == 0.0  # above the kernel's largest pid


def test_cost_per_posting_and_how_busy_the_machine_was() -> None:
    before = {"profiles": 10.0, "matching": 5.0, "machine": 100.0}
    after = {"profiles": 12.0, "matching": 6.0, "machine": 104.0}
    cost = cpu_cost(before, after, postings=1000, seconds=4.0)
    assert cost["cpu_ms_per_posting"] == pytest.approx(
        {"profiles": 2.0, "matching": 1.0, "machine": 4.0}
    )
    assert cost["machine_busy"] == pytest.approx(4.0 / (4.0 * (os.cpu_count() or 1)))
