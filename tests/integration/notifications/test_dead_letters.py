"""A record that is not an event goes to the dead-letter topic; the consumer carries on."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence

import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from faststream.kafka import KafkaBroker

from services.notifications.config import NotificationsSettings
from shared.topics import DEADLETTER, MATCHES
from tests.integration.notifications.conftest import Running
from tests.integration.notifications.helpers import match_event, publish_match
from tests.integration.notifications.receiver import receiving
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.integration


@pytest.fixture
async def dead_letters(stack: StackUrls, topic_prefix: str) -> AsyncIterator[AIOKafkaConsumer]:
    """A reader of this test's dead-letter topic from its beginning."""
    consumer = AIOKafkaConsumer(
        f"{topic_prefix}{DEADLETTER}",
        bootstrap_servers=stack.kafka,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await asyncio.wait_for(consumer.start(), timeout=60)  # a stalled broker fails, not hangs
    try:
        yield consumer
    finally:
        await consumer.stop()


async def test_invalid_record_is_dead_lettered_and_valid_ones_still_delivered(
    settings_for: Callable[..., NotificationsSettings],
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    dead_letters: AIOKafkaConsumer,
) -> None:
    event = match_event()
    # One deadline for the whole exchange: a wait that never ends fails with its place.
    async with (
        asyncio.timeout(120),
        receiving() as receiver,
        running(settings_for(webhook_url=receiver.url)),
    ):
        await publisher.publish(b"\x00not json{", f"{topic_prefix}{MATCHES}", key=b"bad-key")
        await publish_match(publisher, topic_prefix, event)

        seen: list[ConsumerRecord] = []

        async def dead_lettered() -> list[ConsumerRecord]:
            batches = await dead_letters.getmany(timeout_ms=200)
            seen.extend(record for records in batches.values() for record in records)
            return seen

        [record] = await eventually(dead_lettered, what="a dead-lettered record")
        await eventually(lambda: _delivered(receiver.requests), what="the valid delivery")

    headers = {name: value.decode() for name, value in record.headers}
    assert record.key == b"bad-key"
    assert record.value == b"\x00not json{"
    assert headers["dlq-reason"].startswith("not JSON")
    assert headers["dlq-source-topic"] == f"{topic_prefix}{MATCHES}"
    assert headers["dlq-consumer"] == "notifications"
    [request] = receiver.requests
    assert json.loads(request.body)["data"] == event.data


async def _delivered(requests: Sequence[object]) -> bool:
    return len(requests) >= 1
