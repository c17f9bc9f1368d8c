"""The outcome recorder's batching, and what a graceful stop does with queued outcomes."""

from __future__ import annotations

import asyncio
import contextlib
from uuid import UUID, uuid4

from services.notifications.domain.delivery import DueDelivery
from services.notifications.domain.outcome import Delivered, Retry
from services.notifications.service_layer.recorder import OutcomeRecorder, Recorded, _batches
from tests.waiting import eventually


def _due(delivery_id: UUID | None = None) -> DueDelivery:
    return DueDelivery(delivery_id or uuid4(), "https://hub.example/in", "t", b"{}", 0)


class _Writes(OutcomeRecorder):
    """Records each batch instead of a transaction; the first write hangs until cancelled."""

    def __init__(self) -> None:
        super().__init__(lambda: None, batch_size=2)  # type: ignore[arg-type,return-value]
        self.written: list[list[UUID]] = []
        self.started = asyncio.Event()
        self._hang = True

    async def write(self, batch: list[Recorded]) -> None:
        if self._hang:
            self._hang = False
            self.started.set()
            await asyncio.Event().wait()  # the stop arrives mid-transaction
        self.written.append([r.delivery.delivery_id for r in batch])


def test_batches_keep_order_size_and_one_outcome_per_delivery() -> None:
    a, b, c = _due(), _due(), _due()
    again = _due(a.delivery_id)
    items = [Recorded(d, Delivered(1)) for d in (a, b, c)]
    items.insert(2, Recorded(again, Retry(2, 1.0, "503")))  # a's second outcome
    ids = [[r.delivery.delivery_id for r in batch] for batch in _batches(items, 5)]
    assert ids == [[a.delivery_id, b.delivery_id], [a.delivery_id, c.delivery_id]]
    assert [len(batch) for batch in _batches([items[0], items[3]], 1)] == [1, 1]


async def test_a_stop_writes_the_interrupted_batch_and_everything_queued_in_order() -> None:
    recorder = _Writes()
    first, second, third = _due(), _due(), _due()
    for d in (first, second, third):
        recorder.put(d, Delivered(1))
    running = asyncio.create_task(recorder.run())
    await asyncio.wait_for(recorder.started.wait(), 5)
    recorder.put(_due(second.delivery_id), Retry(2, 1.0, "late"))  # queued behind the rest
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running

    async def all_written() -> bool:
        return sum(len(b) for b in recorder.written) == 4

    await eventually(all_written, timeout=5, what="every outcome written at the stop")
    assert recorder.written == [
        [first.delivery_id, second.delivery_id],  # the batch the stop interrupted
        [third.delivery_id, second.delivery_id],  # then the queue, in order
    ]
    assert running.cancelled()
