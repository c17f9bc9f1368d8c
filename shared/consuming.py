"""The one way every consumer handles a record: decode, apply, dead-letter or retry.

Offsets are committed by FastStream only after the handler returns
(`AckPolicy.NACK_ON_ERROR`): a record whose state change did not commit is sought
back and redelivered. A record that can never succeed goes to the dead-letter
topic with the reason in its headers, and the consumer carries on.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import structlog
from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaRouter
from faststream.kafka.annotations import KafkaMessage as InjectedMessage
from faststream.kafka.message import KafkaMessage
from faststream.message import StreamMessage

from shared.events import CloudEvent, EventPayload, InvalidEventError, decode
from shared.metrics import metrics, reason_kind
from shared.settings import KafkaSettings
from shared.topics import DEADLETTER


def _record(msg: KafkaMessage) -> ConsumerRecord:
    record = msg.raw_message
    assert isinstance(record, ConsumerRecord), "batch subscribers are not supported here"
    return record


Apply = Callable[[CloudEvent, EventPayload], Awaitable[None]]


class DeadLetters:
    """Publishes records that cannot be processed to hub.deadletter.v1, reason attached."""

    def __init__(self, broker: KafkaBroker, kafka: KafkaSettings, *, consumer: str) -> None:
        self._broker, self._topic, self._consumer = broker, kafka.topic(DEADLETTER), consumer
        self.count = 0

    async def send(self, msg: KafkaMessage, reason: str) -> None:
        """Forward the original record unchanged, with where it came from and why it failed."""
        record = _record(msg)
        headers = {k: v for k, v in msg.headers.items() if isinstance(v, str)}
        headers.update(
            {
                "dlq-reason": reason[:1000],
                "dlq-consumer": self._consumer,
                "dlq-source-topic": record.topic,
                "dlq-source-partition": str(record.partition),
                "dlq-source-offset": str(record.offset),
                "dlq-failed-at": datetime.now(UTC).isoformat(),
            }
        )
        await self._broker.publish(
            record.value or b"", self._topic, key=record.key, headers=headers
        )
        self.count += 1
        metrics().dead_letters.labels(self._consumer, record.topic, reason_kind(reason)).inc()

    @property
    def consumer(self) -> str:
        """The consumer these dead letters are attributed to."""
        return self._consumer


class EventConsumer:
    """Runs `apply` for each valid record; dead-letters invalid ones; retries the rest."""

    def __init__(
        self,
        *,
        accepted: Iterable[type[EventPayload]],
        apply: Apply,
        dead_letters: DeadLetters,
        max_backoff_s: float = 10.0,
    ) -> None:
        self._accepted, self._apply, self._dead_letters = tuple(accepted), apply, dead_letters
        self._max_backoff_s, self._failures = max_backoff_s, 0
        self._log = structlog.get_logger("consumer")

    async def __call__(self, msg: KafkaMessage) -> None:
        """Handle one record; raising makes FastStream seek back and redeliver it."""
        record = _record(msg)
        with structlog.contextvars.bound_contextvars(
            topic=record.topic, partition=record.partition, offset=record.offset
        ):
            if record.value is None and record.key is not None:
                # A tombstone only tells compaction to drop the key; the erasure
                # itself arrived as an event before it.
                self._log.debug("tombstone skipped")
                return
            name, began = self._dead_letters.consumer, time.perf_counter()
            try:
                envelope, payload = decode(record.value, self._accepted)
                with structlog.contextvars.bound_contextvars(
                    event_id=str(envelope.id), subject=envelope.subject
                ):
                    await self._apply(envelope, payload)
                outcome = "applied"
            except InvalidEventError as exc:
                self._log.warning("event dead-lettered", reason=exc.reason)
                await self._dead_letters.send(msg, exc.reason)
                outcome = "dead_lettered"
            except Exception:
                metrics().events.labels(name, record.topic, "retried").inc()
                await self._back_off()
                raise
            self._failures = 0
            metrics().events.labels(name, record.topic, outcome).inc()
            metrics().handler_seconds.labels(name, record.topic).observe(
                time.perf_counter() - began
            )

    async def _back_off(self) -> None:
        # A transient failure (database or broker down) must not spin: wait a
        # little longer each time before the record is redelivered.
        self._failures += 1
        delay = min(0.2 * 2 ** (self._failures - 1), self._max_backoff_s)
        self._log.exception("event processing failed; will retry", retry_in_s=delay)
        await asyncio.sleep(delay)


async def _raw_body(message: StreamMessage[Any]) -> bytes:
    # EventConsumer decodes and validates the bytes itself; FastStream's own JSON
    # decoding would fail on a malformed record before the handler could
    # dead-letter it, and NACK_ON_ERROR would then redeliver it forever.
    return message.body


def subscribe(
    router: KafkaRouter,
    consumer: EventConsumer,
    *topics: str,
    group: str,
    title: str,
    description: str,
) -> None:
    """Subscribe `consumer` to `topics` in consumer group `group`, committing after success."""
    metrics().track_lag(group, topics)

    @router.subscriber(
        *topics,
        group_id=group,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        decoder=_raw_body,
        title=title,
        description=description,
    )
    async def handle(message: InjectedMessage) -> None:
        await consumer(message)
