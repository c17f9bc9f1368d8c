"""Kafka subscribers of the notification service, grouped in one router."""

from __future__ import annotations

from typing import Any

from faststream import AckPolicy
from faststream.kafka import KafkaRouter
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from shared.consuming import EventConsumer
from shared.settings import KafkaSettings
from shared.topics import MATCHES

CONSUMER_NAME = "notifications"


async def _raw_body(message: StreamMessage[Any]) -> bytes:
    # EventConsumer decodes and validates the bytes itself; FastStream's own JSON
    # decoding would fail on a malformed record before the handler could
    # dead-letter it, and NACK_ON_ERROR would then redeliver it forever.
    return message.body


def build_router(kafka: KafkaSettings, matches: EventConsumer) -> KafkaRouter:
    """A router whose subscribers hand each record to the given consumers."""
    router = KafkaRouter()

    @router.subscriber(
        kafka.topic(MATCHES),
        group_id=kafka.group(CONSUMER_NAME),
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        decoder=_raw_body,
        title="notifications.matches",
        description="Match events; each becomes a signed webhook delivery.",
    )
    async def on_match(message: KafkaMessage) -> None:
        """Record a webhook delivery for a match (offset committed after the row commits)."""
        await matches(message)

    return router
