"""Kafka subscribers of the notification service, grouped in one router."""

from __future__ import annotations

from faststream.kafka import KafkaRouter

from shared.consuming import EventConsumer, subscribe
from shared.settings import KafkaSettings
from shared.topics import MATCHES

CONSUMER_NAME = "notifications"


def build_router(kafka: KafkaSettings, matches: EventConsumer) -> KafkaRouter:
    """A router whose subscriber records a webhook delivery per match event."""
    router = KafkaRouter()
    subscribe(
        router,
        matches,
        kafka.topic(MATCHES),
        group=kafka.group(CONSUMER_NAME),
        title="notifications.matches",
        description="Match events; each becomes a signed webhook delivery.",
    )
    return router
