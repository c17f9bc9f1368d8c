"""Kafka subscribers: thin — decode through EventConsumer, call one use case."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import structlog
from faststream.kafka import KafkaRouter

from services.matching.service_layer.plans import ACCEPTED
from shared.consuming import DeadLetters, EventConsumer, Rejected, subscribe
from shared.events import CloudEvent, EventPayload
from shared.topics import PROFILES, TRAINING_OFFERS, VACANCIES

if TYPE_CHECKING:
    from services.matching.bootstrap import Container


def build_router(container: Container) -> KafkaRouter:
    """Subscribers for vacancies, profiles and training offers, one consumer group, per batch."""
    kafka, log = container.settings.kafka, structlog.get_logger("matching")
    dead_letters = DeadLetters(container.runtime.broker, kafka, consumer="matching")
    router = KafkaRouter()

    async def apply(envelope: CloudEvent, payload: EventPayload) -> None:
        for _, error in await apply_batch([(envelope, payload)]):
            raise error  # one record at a time: the consumer dead-letters it

    async def apply_batch(events: Sequence[tuple[CloudEvent, EventPayload]]) -> Rejected:
        outcome = await container.matcher.handle_batch(
            [payload for _, payload in events], [envelope.requestid for envelope, _ in events]
        )
        log.info(
            "events matched",
            applied=outcome.applied,
            stale_or_repeated=outcome.ignored,
            match_events=outcome.emitted,
            rejected=len(outcome.rejected),
        )
        return outcome.rejected

    consumer = EventConsumer(
        accepted=ACCEPTED, apply=apply, apply_batch=apply_batch, dead_letters=dead_letters
    )
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
