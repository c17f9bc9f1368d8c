"""Kafka subscribers: thin — decode through EventConsumer, call one use case."""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog
from faststream.kafka import KafkaRouter

from services.matching.service_layer.matcher import ACCEPTED
from shared.consuming import DeadLetters, EventConsumer, subscribe
from shared.events import CloudEvent, EventPayload
from shared.topics import PROFILES, TRAINING_OFFERS, VACANCIES

if TYPE_CHECKING:
    from services.matching.bootstrap import Container


def build_router(container: Container) -> KafkaRouter:
    """Subscribers for vacancies, profiles and training offers, one consumer group."""
    kafka, log = container.settings.kafka, structlog.get_logger("matching")
    dead_letters = DeadLetters(container.runtime.broker, kafka, consumer="matching")
    router = KafkaRouter()

    async def apply(_: CloudEvent, payload: EventPayload) -> None:
        emitted = await container.matcher.handle(payload)
        if emitted is None:
            log.info("stale or repeated event ignored", version=payload.version)
        else:
            log.info("event matched", match_events=emitted)

    consumer = EventConsumer(accepted=ACCEPTED, apply=apply, dead_letters=dead_letters)
    subscribe(
        router,
        consumer,
        kafka.topic(VACANCIES),
        kafka.topic(PROFILES),
        kafka.topic(TRAINING_OFFERS),
        group=kafka.group("matching"),
        title="matching.postings",
        description="Vacancies, profiles and training offers; each re-scores what it touches.",
    )
    return router
