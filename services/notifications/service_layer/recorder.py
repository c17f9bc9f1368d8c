"""Records attempt outcomes in the ledger and the outbox, many per transaction.

Attempts finish independently; writing each outcome in its own transaction would
cost a commit per delivery. The recorder drains whatever has queued up and writes
it in one unit of work. If the database is away it keeps the batch and retries;
if the process dies first, the rows' leases run out and they are attempted again
with the same delivery ids.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import structlog

from services.notifications.domain.delivery import DueDelivery
from services.notifications.domain.outcome import (
    GONE_PARK_ERROR,
    Delivered,
    Disabled,
    Parked,
    Retry,
    Transition,
)
from services.notifications.service_layer.unit_of_work import (
    NotificationsUnitOfWork,
    UowFactory,
)
from shared.backoff import Backoff
from shared.metrics import metrics

_log = structlog.get_logger("notifications.recorder")
# How long a graceful stop may spend writing the outcomes still queued.
DRAIN_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class Recorded:
    """One outcome waiting to be written."""

    delivery: DueDelivery
    transition: Transition
    # Called once the outcome is committed.
    after: Callable[[], None] | None = None


class OutcomeRecorder:
    """A queue of outcomes and the task that writes them."""

    def __init__(self, uow_factory: UowFactory, *, batch_size: int = 500) -> None:
        self._uow, self._batch_size = uow_factory, batch_size
        self._queue: asyncio.Queue[Recorded] = asyncio.Queue()

    def put(
        self,
        delivery: DueDelivery,
        transition: Transition,
        *,
        after: Callable[[], None] | None = None,
    ) -> None:
        """Queue an outcome; it is written soon; `after` runs once it is committed."""
        self._queue.put_nowait(Recorded(delivery, transition, after))

    async def run(self) -> None:
        """Write queued outcomes until cancelled; then write what is still queued."""
        waiting: list[Recorded] = []  # taken from the queue, not yet written
        try:
            while True:
                if not waiting:
                    waiting.append(await self._queue.get())
                waiting += self._take_queued()
                size = _batch_length(waiting, self._batch_size)
                await self._write_until_done(waiting[:size])
                del waiting[:size]
        except asyncio.CancelledError:
            # A graceful stop: the receivers have these outcomes already. Unwritten,
            # their deliveries would go out again once their leases ran out.
            await self._drain(waiting + self._take_queued())
            raise

    def _take_queued(self) -> list[Recorded]:
        items = []
        while not self._queue.empty():
            items.append(self._queue.get_nowait())
        return items

    async def _drain(self, items: list[Recorded]) -> None:
        """Write `items` in order, within DRAIN_TIMEOUT_S."""
        if not items:
            return

        async def write_all() -> None:
            for batch in _batches(items, self._batch_size):
                await self.write(batch)

        try:
            await asyncio.wait_for(write_all(), DRAIN_TIMEOUT_S)
        except Exception:
            # Not lost: the rows stay pending and are attempted again after their lease.
            _log.warning("outcomes not recorded at shutdown", count=len(items))

    async def _write_until_done(self, batch: list[Recorded]) -> None:
        backoff = Backoff(first=0.2, cap=5.0)
        while True:
            try:
                await self.write(batch)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                _log.exception("recording outcomes failed; retrying", count=len(batch))
                await asyncio.sleep(backoff.next_pause())

    async def write(self, batch: list[Recorded]) -> None:
        """Apply each outcome to its ledger row and publish it, in one transaction.

        Outcomes of one kind are written with one set-based statement each, so a
        batch costs a handful of round trips whatever its size.
        """
        async with self._uow() as uow:
            await _apply_all(uow, batch)
            await uow.commit()
        for item in batch:
            metrics().deliveries.labels(item.delivery.channel, _outcome_label(item)).inc()
            if item.after is not None:
                item.after()
        _log.debug("outcomes recorded", count=len(batch))


async def _apply_all(uow: NotificationsUnitOfWork, batch: list[Recorded]) -> None:
    ledger = uow.ledger
    delivered = [
        (r.delivery.delivery_id, r.transition.attempts)
        for r in batch
        if isinstance(r.transition, Delivered)
    ]
    retries = [_retry(r.delivery, r.transition) for r in batch if isinstance(r.transition, Retry)]
    parked = [_parked(r.delivery, r.transition) for r in batch if isinstance(r.transition, Parked)]
    rows = []
    await ledger.plan_for_current_size()
    if delivered:
        rows += await ledger.mark_all_delivered(delivered)
    if retries:
        rows += await ledger.schedule_all_retries(retries)
    if parked:
        rows += await ledger.park_all(parked)
    for row in rows:
        uow.emit_outcome(row)
    for item in batch:
        _log_outcome(item)
        if isinstance(item.transition, Disabled):
            await _gone(uow, item.delivery, item.transition)


def _retry(delivery: DueDelivery, t: Retry) -> tuple[UUID, int, str, float]:
    return (delivery.delivery_id, t.attempts, t.error, t.delay_s)


def _parked(delivery: DueDelivery, t: Parked) -> tuple[UUID, int, str]:
    return (delivery.delivery_id, t.attempts, t.error)


async def _gone(uow: NotificationsUnitOfWork, delivery: DueDelivery, t: Disabled) -> None:
    row = await uow.ledger.park(delivery.delivery_id, attempts=t.attempts, error=t.error)
    if row is not None:
        uow.emit_outcome(row)
    await _disable(uow, delivery)


def _outcome_label(item: Recorded) -> str:
    t = item.transition
    if isinstance(t, Delivered):
        return "delivered"
    if isinstance(t, Disabled):
        return "gone"
    return "parked" if isinstance(t, Parked) else "retried"


def _log_outcome(item: Recorded) -> None:
    t, delivery_id = item.transition, str(item.delivery.delivery_id)
    if isinstance(t, Delivered):
        return  # the common case: counted in the batch, published as an outcome
    log = _log.bind(delivery_id=delivery_id, attempts=t.attempts)
    if isinstance(t, Disabled):
        log.warning("receiver gone; subscription disabled")
    elif isinstance(t, Parked):
        log.error("delivery parked", error=t.error)
    else:
        log.warning("attempt failed", error=t.error, retry_in_s=round(t.delay_s, 3))


async def _disable(uow: NotificationsUnitOfWork, delivery: DueDelivery) -> None:
    if delivery.subscription_id is None:
        return
    if await uow.subscriptions.disable(delivery.subscription_id, reason="410 Gone"):
        rows = await uow.ledger.park_all_pending(delivery.subscription_id, error=GONE_PARK_ERROR)
        for row in rows:
            uow.emit_outcome(row)


def _batch_length(items: list[Recorded], size: int) -> int:
    """How many of `items` go into the next transaction: at most `size`, and a
    delivery's second outcome waits for the one after (one row, one update each)."""
    seen: set[UUID] = set()
    for index, item in enumerate(items[:size]):
        if item.delivery.delivery_id in seen:
            return index
        seen.add(item.delivery.delivery_id)
    return min(len(items), size)


def _batches(items: list[Recorded], size: int) -> list[list[Recorded]]:
    """`items` cut into consecutive transactions, in order."""
    batches, rest = [], items
    while rest:
        length = _batch_length(rest, size)
        batches.append(rest[:length])
        rest = rest[length:]
    return batches
