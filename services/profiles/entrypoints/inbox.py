"""Kafka subscriber of the agency inbox: verify the producer, then apply like any event.

The signature is checked on the raw record before anything parses it; the shared
EventConsumer then decodes, dead-letters invalid events and retries failures.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

import structlog
from faststream.kafka import KafkaRouter

from services.profiles.domain.access import Principal
from services.profiles.service_layer import inbox
from shared.consuming import DeadLetters, EventConsumer, Record, subscribe
from shared.events import CloudEvent, EventPayload, InvalidEventError
from shared.events.catalog import TOPIC_EVENTS
from shared.metrics import metrics
from shared.topics import INBOX_BULLETINS, INBOX_PROFILES, INBOX_VACANCIES

if TYPE_CHECKING:
    from services.profiles.bootstrap import Container

CONSUMER = "profiles.inbox"
TOPICS = (INBOX_VACANCIES, INBOX_PROFILES, INBOX_BULLETINS)
_VERIFIED: ContextVar[tuple[inbox.InboxRecord, Principal]] = ContextVar("inbox_verified")


class InboxConsumer(EventConsumer):
    """EventConsumer that first establishes which organisation signed the record."""

    def __init__(self, container: Container, dead_letters: DeadLetters) -> None:
        accepted = {t for topic in TOPICS for t in TOPIC_EVENTS[topic]}
        super().__init__(accepted=accepted, apply=self._receive, dead_letters=dead_letters)
        self._c = container
        self._prefix = container.settings.kafka.topic_prefix
        self._inbox_log = structlog.get_logger("inbox")

    async def handle(self, record: Record) -> None:
        """Verify the producer; dead-letter what fails; hand the rest to EventConsumer."""
        received = self._record(record)
        try:
            sender = await self._identify(received)
        except InvalidEventError as exc:
            self._inbox_log.warning("inbox record refused", reason=exc.reason, topic=record.topic)
            await self._dead_letters.send(record, exc.reason)
            metrics().events.labels(CONSUMER, record.topic, "dead_lettered").inc()
            return
        except Exception:
            await self._back_off()
            raise
        token = _VERIFIED.set((received, sender))
        try:
            with structlog.contextvars.bound_contextvars(
                organisation_id=str(sender.organisation_id)
            ):
                await super().handle(record)
        finally:
            _VERIFIED.reset(token)

    def _record(self, record: Record) -> inbox.InboxRecord:
        topic = record.topic.removeprefix(self._prefix)
        headers = {name: value for name, value in record.headers or ()}
        return inbox.InboxRecord(topic, record.key, record.value, headers)

    async def _identify(self, record: inbox.InboxRecord) -> Principal:
        settings = self._c.settings
        inbox.check_size(record, settings.inbox_max_record_bytes)
        key = settings.inbox_signing_key.get_secret_value().encode()
        async with self._c.runtime.pool.acquire() as conn:
            return await inbox.identify_sender(conn, self._c.reference, key, record)

    async def _receive(self, envelope: CloudEvent, payload: EventPayload) -> None:
        record, sender = _VERIFIED.get()
        event = (envelope, payload)
        outcome = await inbox.receive(self._c.uow, self._c.reference, sender, record, event)
        self._inbox_log.info("inbox event handled", outcome=outcome, type=envelope.type)


def build_router(container: Container) -> KafkaRouter:
    """The inbox subscriber: one consumer group over the inbox topics."""
    kafka = container.settings.kafka
    dead_letters = DeadLetters(container.runtime.broker, kafka, consumer=CONSUMER)
    router = KafkaRouter()
    subscribe(
        router,
        InboxConsumer(container, dead_letters),
        *(kafka.topic(topic) for topic in TOPICS),
        group=kafka.group(CONSUMER),
        title="profiles.inbox",
        description="Signed records of agencies, applied through the API's use cases.",
    )
    return router
