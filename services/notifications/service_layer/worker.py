"""The delivery worker: claims due deliveries, attempts them, records every outcome."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import structlog

from services.notifications.adapters.repository import NOTIFY_CHANNEL, DeliveryRepository
from services.notifications.adapters.webhook import WebhookSender
from services.notifications.domain.delivery import DueDelivery
from services.notifications.domain.outcome import (
    AttemptResult,
    Delivered,
    Parked,
    Transition,
    decide,
)

_log = structlog.get_logger("notifications.worker")


@dataclass(frozen=True, slots=True)
class WorkerPolicy:
    """How hard the worker tries and how often it looks."""

    max_attempts: int
    backoff: Callable[[int], float]
    lease_s: float
    batch_size: int = 50
    poll_interval_s: float = 1.0


class DeliveryWorker:
    """Delivers pending webhooks until cancelled; woken by NOTIFY, polling as a fallback."""

    def __init__(
        self, pool: asyncpg.Pool[asyncpg.Record], sender: WebhookSender, policy: WorkerPolicy
    ) -> None:
        self._pool, self._sender, self._policy = pool, sender, policy
        self._wake = asyncio.Event()

    async def run(self) -> None:
        """Work forever; survive database outages with a growing pause."""
        pause = 0.5
        while True:
            try:
                await self._listen_and_work()
            except asyncio.CancelledError:
                raise
            except Exception:
                _log.exception("delivery worker failed; restarting", pause_s=pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 10.0)

    async def _listen_and_work(self) -> None:
        async with self._pool.acquire() as conn:
            await conn.add_listener(NOTIFY_CHANNEL, self._on_notify)
            try:
                while True:
                    self._wake.clear()
                    claimed = await self.deliver_due()
                    if claimed < self._policy.batch_size:
                        # A lost notification only delays a delivery until the next poll.
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(self._wake.wait(), self._policy.poll_interval_s)
            finally:
                await conn.remove_listener(NOTIFY_CHANNEL, self._on_notify)

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    async def deliver_due(self) -> int:
        """Attempt one batch of due deliveries concurrently; return how many were claimed."""
        async with self._pool.acquire() as conn:
            due = await DeliveryRepository(conn).claim_due(
                limit=self._policy.batch_size, lease_s=self._policy.lease_s
            )
        # A task group cancels the rest of the batch if recording an outcome fails
        # (database gone); those rows come back when their lease runs out.
        async with asyncio.TaskGroup() as group:
            for delivery in due:
                group.create_task(self._attempt(delivery))
        return len(due)

    async def _attempt(self, delivery: DueDelivery) -> None:
        log = _log.bind(delivery_id=str(delivery.delivery_id), event_type=delivery.event_type)
        try:
            result = await self._sender.send(delivery)
        except Exception as exc:
            # A sender bug must still count as a failed attempt, not vanish.
            log.exception("webhook attempt raised")
            result = AttemptResult(error=f"{type(exc).__name__}: {exc}"[:1000])
        transition = decide(
            delivery.attempts,
            result,
            max_attempts=self._policy.max_attempts,
            backoff=self._policy.backoff,
        )
        async with self._pool.acquire() as conn:
            await _record(DeliveryRepository(conn), delivery, transition, log)


async def _record(
    repo: DeliveryRepository,
    delivery: DueDelivery,
    transition: Transition,
    log: structlog.stdlib.BoundLogger,
) -> None:
    attempts = transition.attempts
    if isinstance(transition, Delivered):
        await repo.mark_delivered(delivery.delivery_id, attempts=attempts)
        log.info("webhook delivered", attempts=attempts)
    elif isinstance(transition, Parked):
        await repo.park(delivery.delivery_id, attempts=attempts, error=transition.error)
        log.error("webhook parked", attempts=attempts, error=transition.error)
    else:
        await repo.schedule_retry(
            delivery.delivery_id,
            attempts=attempts,
            error=transition.error,
            delay_s=transition.delay_s,
        )
        log.warning(
            "webhook attempt failed",
            attempts=attempts,
            error=transition.error,
            retry_in_s=round(transition.delay_s, 3),
        )
