"""A stopped delivery worker returns only after its attempts have unwound.

The runtime closes the database pool right after the worker stops: an attempt still
unwinding then (say, one giving back the connection it postponed its row on) would
keep the pool from closing.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import Any, cast
from uuid import uuid4

import asyncpg
import pytest

from services.notifications.adapters.repository import DeliveryRepository
from services.notifications.domain.delivery import DueDelivery
from services.notifications.domain.isolation import Endpoints
from services.notifications.domain.outcome import AttemptResult
from services.notifications.service_layer.recorder import OutcomeRecorder
from services.notifications.service_layer.worker import DeliveryWorker, WorkerPolicy


class HangingSender:
    """Never answers; notes when an attempt has finished unwinding."""

    def __init__(self) -> None:
        self.started, self.unwound = 0, 0
        self.all_started = asyncio.Event()

    async def send(self, delivery: DueDelivery) -> AttemptResult:
        self.started += 1
        if self.started == 2:
            self.all_started.set()
        try:
            await asyncio.Event().wait()
        finally:
            await asyncio.sleep(0)  # unwinding takes a turn of the loop, as a release does
            self.unwound += 1
        raise AssertionError("unreachable")


class IdlePool:
    """A pool whose connection is never available: the claim loop just waits."""

    @asynccontextmanager
    async def acquire(self) -> Any:
        await asyncio.Event().wait()
        yield None


def _due() -> DueDelivery:
    return DueDelivery(uuid4(), "https://hub.example/h", "match.found", b"{}", 0, endpoint="e")


async def test_the_worker_returns_only_once_its_attempts_have_unwound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def claim_due(self: DeliveryRepository, **_: Any) -> list[DueDelivery]:
        return [_due(), _due()]

    monkeypatch.setattr(DeliveryRepository, "claim_due", claim_due)
    sender = HangingSender()
    worker = DeliveryWorker(
        cast("asyncpg.Pool[asyncpg.Record]", IdlePool()),
        {"webhook": sender},
        WorkerPolicy(max_attempts=3, backoff=lambda n: 1.0, lease_s=60.0),
        endpoints=Endpoints(limit=4, threshold=5, cooldown_s=1.0),
        recorder=cast("OutcomeRecorder", None),
    )
    await worker.claim_and_start(cast("Any", None), 2)
    running = asyncio.create_task(worker.run())
    async with asyncio.timeout(5):
        await sender.all_started.wait()

    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running

    assert sender.unwound == 2
