"""How a long-running loop waits for its next round: woken by an event, or a poll."""

from __future__ import annotations

import asyncio
import contextlib


async def woken_or_polled(wake: asyncio.Event, poll_interval_s: float) -> None:
    """Return when `wake` is set or after `poll_interval_s`, whichever comes first.

    asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
    that arrives just as the wait ends, and a loop stopped that way never stops.
    """
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(poll_interval_s):
            await wake.wait()
