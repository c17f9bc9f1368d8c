"""Wait on a condition with a deadline: the only way tests synchronise."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]],
    *,
    timeout: float = 20.0,  # noqa: ASYNC109 -- a deadline for polling, not an I/O timeout
    interval: float = 0.05,
    what: str = "condition",
) -> T:
    """Return the first truthy result of `probe`; fail with `what` once the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(interval)  # polling interval, bounded by the deadline above
