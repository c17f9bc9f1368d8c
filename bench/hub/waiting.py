"""Wait on a condition with a deadline (the harness never sleeps to synchronise)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def until(
    probe: Callable[[], Awaitable[T]], *, within: float, what: str, interval: float = 0.1
) -> T:
    """The first truthy result of `probe`; TimeoutError naming `what` after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = await probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {within:.0f} s waiting for {what}")
        await asyncio.sleep(interval)  # polling interval, bounded by the deadline above
