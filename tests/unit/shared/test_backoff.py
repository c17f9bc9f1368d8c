"""Pauses between restarts of a long-running loop."""

from __future__ import annotations

from shared.backoff import Backoff


def test_pauses_double_up_to_the_cap() -> None:
    backoff = Backoff(first=0.5, cap=3.0)
    assert [backoff.next_pause() for _ in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_a_failure_after_recovery_starts_with_the_first_pause_again() -> None:
    backoff = Backoff(first=0.5, cap=10.0)
    for _ in range(6):  # a long outage early on
        backoff.next_pause()
    backoff.recovered()
    assert backoff.next_pause() == 0.5
    assert backoff.next_pause() == 1.0
