"""Subscriber of hub.profiles.v1 for erasures, in its own consumer group."""

from __future__ import annotations

from faststream.kafka import KafkaRouter

from services.notifications.service_layer.erasure import erasure_consumer
from services.notifications.service_layer.unit_of_work import UowFactory
from shared.consuming import DeadLetters, subscribe
from shared.settings import KafkaSettings
from shared.topics import PROFILES

GROUP = "notifications.erasure"


def erasure_router(kafka: KafkaSettings, uow: UowFactory, dead: DeadLetters) -> KafkaRouter:
    """A router whose one subscriber removes erased profiles from the ledger."""
    router = KafkaRouter()
    subscribe(
        router,
        erasure_consumer(uow, dead),
        kafka.topic(PROFILES),
        group=kafka.group(GROUP),
        title="notifications.erasure",
        description="Profile erasures: pending deliveries carrying the profile are dropped.",
    )
    return router
