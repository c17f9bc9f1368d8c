"""Consumed offsets committed in the background, not after every batch.

FastStream commits after each batch and the consumer waits for that commit before it
fetches the next one. On this broker a commit takes ~6 ms (the group coordinator holds
commits up to 5 ms to write them together), and under load the commits were a third
of all requests the broker served. Here the handler only notes a finished batch's
offsets; a task per consumer commits them: at once when it has nothing in flight,
then at most every `interval_s`, so a busy consumer commits a few times a second
whatever its batch rate.

Offsets are noted only after their batch was applied, so nothing is skipped. Every
consumer of the hub is idempotent: offsets not yet committed when a process dies only
mean those records are applied again and change nothing. A graceful stop commits what
is pending, and commits each batch that still finishes at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Iterable

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError

from shared.backoff import Backoff

COMMIT_INTERVAL_S = 0.1
# aiokafka retries a commit without end while the broker is away (and forever on a
# consumer already stopped): past this, a commit counts as failed and is tried again.
COMMIT_TIMEOUT_S = 3.0


class OffsetCommitter:
    """Commits the offsets of one consumer's applied batches, coalesced."""

    def __init__(
        self,
        group: str,
        *,
        interval_s: float = COMMIT_INTERVAL_S,
        timeout_s: float = COMMIT_TIMEOUT_S,
    ) -> None:
        self._interval_s, self._timeout_s = interval_s, timeout_s
        self._pending: dict[TopicPartition, int] = {}
        self._consumer: AIOKafkaConsumer | None = None
        self._wanted = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._retry = Backoff(first=interval_s)
        self._log = structlog.get_logger("consumer").bind(group=group)
        _LIVE.add(self)

    async def applied(
        self, consumer: AIOKafkaConsumer, records: Iterable[ConsumerRecord[bytes, bytes]]
    ) -> None:
        """Note a batch as applied; it is committed soon (at once while stopping)."""
        self._consumer = consumer
        for record in records:
            partition = TopicPartition(record.topic, record.partition)
            self._pending[partition] = max(self._pending.get(partition, 0), record.offset + 1)
        if self._closing:
            await self.commit_pending()
            return
        self._wanted.set()
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="offset-commits")

    def pending(self) -> dict[TopicPartition, int]:
        """Offsets applied but not yet committed (the next offset to read, per partition)."""
        return dict(self._pending)

    async def close(self) -> None:
        """Commit what is pending; from now on each applied batch is committed at once."""
        self._closing = True
        if self._task is not None and self._task.get_loop() is not asyncio.get_running_loop():
            return  # noted on an event loop that is gone (tests): its consumer went with it
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.commit_pending()

    async def _run(self) -> None:
        while True:
            await self._wanted.wait()
            self._wanted.clear()
            pause = self._interval_s if await self.commit_pending() else self._retry.next_pause()
            # Batches applied meanwhile are committed together after the pause.
            await asyncio.sleep(pause)

    async def commit_pending(self) -> bool:
        """Commit the pending offsets of partitions still assigned; False if that failed."""
        consumer, offsets = self._consumer, self._pending
        self._pending = {}
        if consumer is None or not offsets:
            return True
        if getattr(consumer, "_closed", False):
            # Stopped (aiokafka keeps no public flag): it left the group, and whoever
            # gets its partitions reads these records again, changing nothing.
            return True
        # A partition taken away by a rebalance is not ours to commit: its new owner
        # starts from the last commit, and applying those records again changes nothing.
        assigned = consumer.assignment()
        mine = {partition: o for partition, o in offsets.items() if partition in assigned}
        if not mine:
            return True
        try:
            # asyncio.timeout: wait_for (3.11) can swallow the cancel of close().
            async with asyncio.timeout(self._timeout_s):
                await consumer.commit(mine)
        except BaseException as exc:
            # Newer offsets noted meanwhile win; the older ones are retried.
            for partition, offset in mine.items():
                self._pending[partition] = max(self._pending.get(partition, 0), offset)
            if not isinstance(exc, KafkaError | TimeoutError):
                raise  # cancelled while stopping: close() commits them
            self._wanted.set()
            self._log.warning("offset commit failed; will retry", reason=repr(exc))
            return False
        self._retry.recovered()
        return True


# Every committer of this process, so that a graceful stop can commit what they hold.
_LIVE: weakref.WeakSet[OffsetCommitter] = weakref.WeakSet()


async def close_all() -> None:
    """Commit the pending offsets of every consumer; call before the broker stops.

    Each committer is closed once: a later call (another runtime in the same process)
    leaves it alone.
    """
    closing = list(_LIVE)
    for committer in closing:
        _LIVE.discard(committer)
    await asyncio.gather(*(committer.close() for committer in closing))
