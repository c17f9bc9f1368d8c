"""Exponential backoff with full jitter between webhook attempts."""

from __future__ import annotations

import random
from collections.abc import Callable

# Beyond this many doublings the ceiling is far past any sensible cap; stopping
# here keeps 2**n from overflowing a float for absurd attempt counts.
_MAX_DOUBLINGS = 62


def ceiling(attempt: int, *, base_s: float = 0.5, cap_s: float = 60.0) -> float:
    """The largest delay after the `attempt`-th failed attempt (1-based)."""
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    return min(cap_s, base_s * 2.0 ** min(attempt - 1, _MAX_DOUBLINGS))


def delay(
    attempt: int,
    *,
    base_s: float = 0.5,
    cap_s: float = 60.0,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after the `attempt`-th failure: uniform in [0, ceiling].

    Full jitter spreads retries of many deliveries that failed together (a receiver
    outage) instead of sending them back in synchronised waves.
    """
    return rand() * ceiling(attempt, base_s=base_s, cap_s=cap_s)
