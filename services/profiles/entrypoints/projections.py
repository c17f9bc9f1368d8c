"""Kafka subscribers of the read models: matches and delivery outcomes, replay-safe.

Each consumed batch is applied in one transaction and one pipelined round trip,
its events in order (a transaction per event made this projection the hub's
largest consumer lag under load); the row keeps the version of the last event
applied, so a redelivered or older event changes nothing, and a failed batch is
redelivered whole.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

import structlog
from faststream.kafka import KafkaRouter

from services.profiles.service_layer import deliveries, matches
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.consuming import Apply, ApplyBatch, DeadLetters, EventConsumer, subscribe
from shared.events import CloudEvent, EventPayload
from shared.topics import MATCHES, NOTIFICATIONS

if TYPE_CHECKING:
    from services.profiles.bootstrap import Container

Project = Callable[[ProfilesUnitOfWork, EventPayload], Awaitable[bool]]
ProjectAll = Callable[[ProfilesUnitOfWork, Sequence[EventPayload]], Awaitable[None]]


def _applier(container: Container, project: Project, name: str) -> Apply:
    log = structlog.get_logger(name)

    async def apply(_: CloudEvent, payload: EventPayload) -> None:
        async with container.uow() as uow:
            applied = await project(uow, payload)
            await uow.commit()
        if applied:
            log.info("read model updated", version=payload.version)
        else:
            log.info("stale or repeated event ignored", version=payload.version)

    return apply


def _batch_applier(container: Container, project_all: ProjectAll, name: str) -> ApplyBatch:
    log = structlog.get_logger(name)

    async def apply_batch(events: Sequence[tuple[CloudEvent, EventPayload]]) -> None:
        async with container.uow() as uow:
            await project_all(uow, [payload for _, payload in events])
            await uow.commit()
        # Stale or repeated events are among them, changing nothing.
        log.info("read model updated", events=len(events))

    return apply_batch


def build_router(container: Container) -> KafkaRouter:
    """Subscribers of hub.matches.v1 and hub.notifications.v1, one consumer group each."""
    kafka, broker = container.settings.kafka, container.runtime.broker
    router = KafkaRouter()
    for name, topic, module, description in (
        ("profiles-matches", MATCHES, matches,
         "Matches found, updated and retracted, kept for GET …/matches."),
        ("profiles-deliveries", NOTIFICATIONS, deliveries,
         "Delivery outcomes, kept for GET /v1/subscriptions/{id}/deliveries."),
    ):  # fmt: skip
        consumer = EventConsumer(
            accepted=module.ACCEPTED,
            apply=_applier(container, module.project, name),
            apply_batch=_batch_applier(container, module.project_all, name),
            dead_letters=DeadLetters(broker, kafka, consumer=name),
        )
        subscribe(
            router, consumer, kafka.topic(topic), group=kafka.group(name),
            title=f"profiles.{name.removeprefix('profiles-')}", description=description,
        )  # fmt: skip
    return router
