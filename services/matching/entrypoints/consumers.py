"""Kafka subscribers: thin — decode through EventConsumer, call one use case."""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog
from faststream.kafka import KafkaRouter

from services.matching.service_layer import matcher
from shared.consuming import DeadLetters, EventConsumer, subscribe
from shared.events import CloudEvent, EventPayload, ProfilePublishedV1, VacancyOpenedV1
from shared.topics import PROFILES, VACANCIES

if TYPE_CHECKING:
    from services.matching.bootstrap import Container


def build_router(container: Container) -> KafkaRouter:
    """Subscribers for vacancies and profiles, one consumer group for the service."""
    kafka, log = container.settings.kafka, structlog.get_logger("matching")
    dead_letters = DeadLetters(container.runtime.broker, kafka, consumer="matching")
    router = KafkaRouter()

    async def apply(_: CloudEvent, payload: EventPayload) -> None:
        if isinstance(payload, VacancyOpenedV1):
            found = await matcher.on_vacancy(
                container.uow, container.postcodes, payload, container.weights
            )
        else:
            assert isinstance(payload, ProfilePublishedV1)
            found = await matcher.on_profile(
                container.uow, container.postcodes, payload, container.weights
            )
        log.info("event matched", matches_found=found)

    consumer = EventConsumer(
        accepted=(VacancyOpenedV1, ProfilePublishedV1), apply=apply, dead_letters=dead_letters
    )
    subscribe(
        router,
        consumer,
        kafka.topic(VACANCIES),
        kafka.topic(PROFILES),
        group=kafka.group("matching"),
        title="matching.postings",
        description="Vacancies and profiles; each is scored against what it touches.",
    )
    return router
