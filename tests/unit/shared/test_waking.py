"""A loop's wait ends when woken, after its poll interval, and never outlives a cancel."""

from __future__ import annotations

import asyncio

import pytest

from shared.waking import woken_or_polled


async def test_a_wake_ends_the_wait_before_the_poll_interval() -> None:
    wake = asyncio.Event()
    waiting = asyncio.create_task(woken_or_polled(wake, poll_interval_s=3600))
    wake.set()
    async with asyncio.timeout(5):  # far below the hour-long poll: the wake ended it
        await waiting
    assert waiting.exception() is None


async def test_without_a_wake_the_poll_interval_ends_the_wait() -> None:
    async with asyncio.timeout(5):
        await woken_or_polled(asyncio.Event(), poll_interval_s=0.01)


async def test_a_cancel_is_never_swallowed_even_as_the_wake_arrives() -> None:
    # With asyncio.wait_for on Python 3.11 each of these waits swallows the cancel.
    for _ in range(50):
        wake = asyncio.Event()
        waiting = asyncio.create_task(woken_or_polled(wake, poll_interval_s=3600))
        await asyncio.sleep(0)  # one turn of the loop: the task is now waiting on the event
        wake.set()
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
