"""Kafka subscribers of the notification service, grouped in one router."""

from __future__ import annotations

from dataclasses import dataclass

from faststream.kafka import KafkaRouter

from shared.consuming import EventConsumer, subscribe
from shared.settings import KafkaSettings
from shared.topics import BULLETINS, MATCHES, SUBSCRIPTIONS

CONSUMER_NAME = "notifications"


@dataclass(frozen=True, slots=True)
class Consumers:
    """One consumer per input topic."""

    matches: EventConsumer
    bulletins: EventConsumer
    subscriptions: EventConsumer


def build_router(kafka: KafkaSettings, consumers: Consumers) -> KafkaRouter:
    """A router with one subscriber (and consumer group) per input topic."""
    router = KafkaRouter()
    subscribe(
        router,
        consumers.matches,
        kafka.topic(MATCHES),
        group=kafka.group(CONSUMER_NAME),
        title="notifications.matches",
        description="Match events, routed to subscriptions and the operator webhook.",
    )
    subscribe(
        router,
        consumers.bulletins,
        kafka.topic(BULLETINS),
        group=kafka.group(f"{CONSUMER_NAME}.bulletins"),
        title="notifications.bulletins",
        description="Bulletins, routed by target regions, occupations and organisation kinds.",
    )
    subscribe(
        router,
        consumers.subscriptions,
        kafka.topic(SUBSCRIPTIONS),
        group=kafka.group(f"{CONSUMER_NAME}.subscriptions"),
        title="notifications.subscriptions",
        description="Subscriptions as event-carried state: who wants which notifications.",
    )
    return router
