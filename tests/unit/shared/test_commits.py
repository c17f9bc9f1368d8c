"""Applied batches' offsets are committed in the background, coalesced, and never lost."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaConnectionError

from shared.commits import OffsetCommitter, close_all
from tests.waiting import eventually

A, B = TopicPartition("t", 0), TopicPartition("t", 1)


class FakeConsumer:
    """Records commits; can hold the next commit until released, or fail the next ones."""

    def __init__(self, assigned: set[TopicPartition]) -> None:
        self.assigned = assigned
        self.commits: list[dict[TopicPartition, int]] = []
        self.failures = 0
        self.hold: asyncio.Event | None = None
        self._closed = False  # as aiokafka's consumer has it

    def assignment(self) -> set[TopicPartition]:
        return self.assigned

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        hold, self.hold = self.hold, None
        if hold is not None:
            await hold.wait()
        if self.failures:
            self.failures -= 1
            raise KafkaConnectionError("broker away")
        self.commits.append(dict(offsets))


def records(partition: TopicPartition, *offsets: int) -> list[ConsumerRecord[bytes, bytes]]:
    return [
        ConsumerRecord(partition.topic, partition.partition, o, 0, 0, b"k", b"v", None, 1, 1, [])
        for o in offsets
    ]


def real(consumer: FakeConsumer) -> AIOKafkaConsumer:
    return cast("AIOKafkaConsumer", consumer)


async def committed(consumer: FakeConsumer, count: int) -> list[Any]:
    async def enough() -> list[Any]:
        return consumer.commits if len(consumer.commits) >= count else []

    return await eventually(enough, timeout=5, what=f"{count} commit(s)")


async def test_a_batch_is_committed_at_once_and_later_ones_together() -> None:
    consumer, committer = FakeConsumer({A, B}), OffsetCommitter("g", interval_s=0.2)
    await committer.applied(real(consumer), records(A, 0, 1))
    assert (await committed(consumer, 1)) == [{A: 2}]
    # Applied while the first commit's pause runs: one commit for all three.
    await committer.applied(real(consumer), records(A, 2))
    await committer.applied(real(consumer), records(B, 0))
    await committer.applied(real(consumer), records(A, 3, 4))
    assert (await committed(consumer, 2))[1] == {A: 5, B: 1}
    await committer.close()
    assert len(consumer.commits) == 2


async def test_a_partition_no_longer_assigned_is_not_committed() -> None:
    consumer, committer = FakeConsumer({A}), OffsetCommitter("g", interval_s=0.05)
    await committer.applied(real(consumer), [*records(A, 7), *records(B, 3)])
    assert (await committed(consumer, 1)) == [{A: 8}]
    await committer.close()
    assert committer.pending() == {}


async def test_a_failed_commit_is_retried_and_newer_offsets_win() -> None:
    consumer, committer = FakeConsumer({A, B}), OffsetCommitter("g", interval_s=0.05)
    consumer.failures = 2
    await committer.applied(real(consumer), records(A, 0))
    await committer.applied(real(consumer), records(B, 4))
    await committer.applied(real(consumer), records(A, 1))
    commits = await committed(consumer, 1)
    assert commits[-1] == {A: 2, B: 5}
    await committer.close()


async def test_a_stop_commits_what_is_pending_and_then_each_batch_at_once() -> None:
    consumer, committer = FakeConsumer({A}), OffsetCommitter("g", interval_s=60)
    await committer.applied(real(consumer), records(A, 0))
    await committed(consumer, 1)
    await committer.applied(real(consumer), records(A, 1))  # waits out the long pause
    assert committer.pending() == {A: 2}
    await close_all()
    assert consumer.commits[-1] == {A: 2}
    await committer.applied(real(consumer), records(A, 2))  # a batch finishing while stopping
    assert consumer.commits[-1] == {A: 3}


async def test_a_commit_cut_short_by_the_stop_is_made_by_the_stop() -> None:
    consumer, committer = FakeConsumer({A}), OffsetCommitter("g", interval_s=0.05)
    consumer.hold = asyncio.Event()  # never set: the first commit hangs until cancelled
    await committer.applied(real(consumer), records(A, 0, 1, 2))

    async def in_flight() -> bool:
        return committer.pending() == {} and consumer.hold is None

    await eventually(in_flight, timeout=5, what="the commit in flight")
    await committer.close()
    assert consumer.commits == [{A: 3}]


async def test_a_commit_that_hangs_is_given_up_and_tried_again() -> None:
    consumer = FakeConsumer({A})
    committer = OffsetCommitter("g", interval_s=0.01, timeout_s=0.05)
    consumer.hold = asyncio.Event()  # the first commit never returns (broker away)
    await committer.applied(real(consumer), records(A, 0))
    assert (await committed(consumer, 1)) == [{A: 1}]
    await committer.close()


async def test_a_stopped_consumer_is_not_committed_to_and_each_is_closed_once() -> None:
    consumer, committer = FakeConsumer({A}), OffsetCommitter("g", interval_s=60)
    await committer.applied(real(consumer), records(A, 0))
    await committed(consumer, 1)
    await close_all()
    consumer._closed = True  # aiokafka's flag once stopped; a commit would never return
    consumer.hold = asyncio.Event()
    await committer.applied(real(consumer), records(A, 1))
    await close_all()  # another runtime stopping later leaves it alone
    assert consumer.commits == [{A: 1}]
    assert consumer.hold is not None  # no commit was even tried
