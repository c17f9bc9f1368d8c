"""On the real broker: a failed batch is read again, applied ones end up committed."""

from __future__ import annotations

from typing import cast

import pytest
from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker, KafkaRouter
from faststream.kafka.message import KafkaMessage

from shared import commits
from shared.consuming import EventConsumer, records_of, subscribe
from shared.topics import VACANCIES, qualified
from tests.kafka_tools import caught_up
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.integration
RECORDS = 40


class FailingOnce:
    """Stands in for an EventConsumer: fails the batch holding record `fail_at` once."""

    def __init__(self, fail_at: int) -> None:
        self.fail_at, self.failed = fail_at, False
        self.seen: list[int] = []

    async def __call__(self, message: KafkaMessage) -> None:
        offsets = [r.offset for r in records_of(message)]
        if self.fail_at in offsets and not self.failed:
            self.failed = True
            raise RuntimeError("the database went away")
        self.seen += offsets


async def test_a_failed_batch_is_read_again_and_every_offset_is_committed(
    stack: StackUrls, topic_prefix: str
) -> None:
    topic, group = qualified(VACANCIES, topic_prefix), f"{topic_prefix}commits"
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka, acks="all")
    await producer.start()
    try:
        for i in range(RECORDS):  # one partition: offsets 0..RECORDS-1 in order
            await producer.send_and_wait(topic, b"v", key=f"{i}".encode(), partition=0)
    finally:
        await producer.stop()
    consumer = FailingOnce(fail_at=RECORDS // 2)
    router, broker = KafkaRouter(), KafkaBroker(stack.kafka)
    subscribe(router, cast("EventConsumer", consumer), topic, group=group,
              title="test", description="fails once")  # fmt: skip
    broker.include_router(router)
    await broker.start()
    try:

        async def all_applied() -> bool:
            return set(consumer.seen) == set(range(RECORDS))

        await eventually(all_applied, what="every record applied")
        assert consumer.failed
        assert consumer.seen == sorted(consumer.seen), "read again in order, none skipped"
        await eventually(
            lambda: caught_up(stack.kafka, group, [topic]), what="every offset committed"
        )
    finally:
        await commits.close_all()
        await broker.stop()
