"""E-mail digests: bulletins held until their window closes, then sent as one message."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol
from uuid import UUID

import asyncpg
import structlog

from services.notifications.adapters.repository import DeliveryRepository
from services.notifications.domain.delivery import DueDelivery
from services.notifications.domain.outcome import AttemptResult, Parked
from services.notifications.service_layer.recorder import OutcomeRecorder
from services.notifications.service_layer.worker import (
    EXPIRED_ERROR,
    DeliveryWorker,
    WorkerPolicy,
)

_log = structlog.get_logger("notifications.digest")


class DigestSender(Protocol):
    """Sends several deliveries as one message."""

    async def send_digest(self, deliveries: Sequence[DueDelivery]) -> AttemptResult:
        """Attempt the digest once."""
        ...


class DigestWorker:
    """Looks for closed digest windows and sends each subscription's bulletins together."""

    def __init__(
        self,
        pool: asyncpg.Pool[asyncpg.Record],
        sender: DigestSender,
        policy: WorkerPolicy,
        *,
        recorder: OutcomeRecorder,
        worker: DeliveryWorker,
    ) -> None:
        self._pool, self._sender, self._policy = pool, sender, policy
        self._recorder, self._worker = recorder, worker

    async def run(self) -> None:
        """Send due digests until cancelled."""
        while True:
            try:
                await self.send_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                _log.exception("digest round failed")
            await asyncio.sleep(self._policy.poll_interval_s)

    async def send_due(self) -> int:
        """Send every digest whose window has closed; return how many were sent."""
        async with self._pool.acquire() as conn:
            due = await DeliveryRepository(conn).digests_due(limit=self._policy.batch_size)
        for subscription_id in due:
            await self._send_one(subscription_id)
        return len(due)

    async def _send_one(self, subscription_id: UUID) -> None:
        async with self._pool.acquire() as conn:
            rows = await DeliveryRepository(conn).claim_digest(
                subscription_id, lease_s=self._policy.lease_s
            )
        live = [d for d in rows if not d.expired]
        for expired in (d for d in rows if d.expired):
            self._recorder.put(expired, Parked(expired.attempts + 1, EXPIRED_ERROR))
        if not live:
            return
        result = await self._sender.send_digest(live)
        # One shared delay keeps the digest's rows together for the next attempt.
        delay = self._policy.backoff(max(d.attempts - d.attempts_before_redrive for d in live) + 1)
        shared = replace(self._policy, backoff=lambda _attempt: delay)
        for delivery in live:
            self._recorder.put(delivery, DeliveryWorker.decide_with(shared, delivery, result))
        _log.info("digest attempted", count=len(live), ok=result.ok)
