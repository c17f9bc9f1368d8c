"""Backoff between attempts: exponential ceiling, capped, fully jittered."""

from __future__ import annotations

import random

import pytest

from services.notifications.domain.backoff import ceiling, delay


def test_ceiling_doubles_from_the_base_until_the_cap() -> None:
    ceilings = [ceiling(n, base_s=0.5, cap_s=60.0) for n in range(1, 10)]
    assert ceilings == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]


def test_ceiling_stays_at_the_cap_for_huge_attempt_counts() -> None:
    assert ceiling(10_000, base_s=0.5, cap_s=60.0) == 60.0


def test_attempts_count_from_one() -> None:
    with pytest.raises(ValueError, match="from 1"):
        ceiling(0)


@pytest.mark.parametrize(("draw", "expected"), [(0.0, 0.0), (0.5, 1.0), (1.0, 2.0)])
def test_delay_scales_the_ceiling_by_the_random_draw(draw: float, expected: float) -> None:
    assert delay(3, base_s=0.5, cap_s=60.0, rand=lambda: draw) == expected


def test_delays_stay_within_zero_and_the_ceiling() -> None:
    rand = random.Random(42).random
    for attempt in range(1, 30):
        value = delay(attempt, base_s=0.5, cap_s=60.0, rand=rand)
        assert 0.0 <= value <= ceiling(attempt, base_s=0.5, cap_s=60.0)


def test_jitter_spreads_delays_of_the_same_attempt() -> None:
    rand = random.Random(7).random
    values = {delay(6, rand=rand) for _ in range(50)}
    assert len(values) == 50
    assert max(values) - min(values) > 5.0
