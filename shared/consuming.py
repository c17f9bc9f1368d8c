"""The one way every consumer handles records: decode, apply, dead-letter or retry.

Records arrive in batches (up to `MAX_BATCH`); each is applied in its own
transaction, in order, and the offsets of the whole batch are noted once after
the last one succeeded, then committed in the background (shared.commits). A
committed offset per record cost more than the work itself (several milliseconds
a round trip to the group coordinator), and every consumer of the hub is
idempotent, so when a record fails the batch is sought back and the records
before it are harmlessly applied again. A record that can never succeed goes to
the dead-letter topic with the reason in its headers, and the consumer carries on.

A consumer may instead pass `apply_batch`: the valid events of a batch are then
applied in one call (one transaction, say), in order; invalid ones are still
dead-lettered one by one, and a failing call retries the whole batch. The call may
return the events it found invalid itself (by position, with the reason, e.g. an
unknown postal code): they are dead-lettered after the call succeeded.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, TypeAlias

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from faststream import AckPolicy
from faststream._internal.context import Context  # the class behind faststream.Context()
from faststream.kafka import KafkaBroker, KafkaRouter
from faststream.kafka.message import KafkaMessage
from faststream.message import StreamMessage

from shared.commits import OffsetCommitter
from shared.events import CloudEvent, EventPayload, InvalidEventError, decode
from shared.metrics import metrics, reason_kind
from shared.settings import KafkaSettings
from shared.topics import DEADLETTER
from shared.tracing import bound_request_id

Apply = Callable[[CloudEvent, EventPayload], Awaitable[None]]
# Positions (in the batch it was given) of events the batch call rejected, with why.
Rejected = Sequence[tuple[int, InvalidEventError]]
ApplyBatch = Callable[[Sequence[tuple[CloudEvent, EventPayload]]], Awaitable[Rejected | None]]
Record: TypeAlias = "ConsumerRecord[bytes, bytes]"
MAX_BATCH = 500
BATCH_WAIT_MS = 50
MAX_LOGGED_IDS = 20
SLOW_BATCH_S = 0.2  # a batch applied slower than this is logged as a warning


def records_of(msg: KafkaMessage) -> tuple[Record, ...]:
    """The records a (batch or single) message carries."""
    raw = msg.raw_message
    records = raw if isinstance(raw, tuple) else (raw,)
    return tuple(r for r in records if isinstance(r, ConsumerRecord))


class DeadLetters:
    """Publishes records that cannot be processed to hub.deadletter.v1, reason attached."""

    def __init__(self, broker: KafkaBroker, kafka: KafkaSettings, *, consumer: str) -> None:
        self._broker, self._topic, self._consumer = broker, kafka.topic(DEADLETTER), consumer
        self.count = 0

    @property
    def consumer(self) -> str:
        """The consumer these dead letters are attributed to."""
        return self._consumer

    async def send(self, source: Record | KafkaMessage, reason: str) -> None:
        """Forward the original record unchanged, with where it came from and why it failed."""
        record = source if isinstance(source, ConsumerRecord) else records_of(source)[0]
        headers = {k: v.decode(errors="replace") for k, v in record.headers or ()}
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


class EventConsumer:
    """Runs `apply` for each valid record; dead-letters invalid ones; retries the rest.

    With `apply_batch`, the valid records of each batch go to it in one call instead.
    """

    def __init__(
        self,
        *,
        accepted: Iterable[type[EventPayload]],
        apply: Apply,
        dead_letters: DeadLetters,
        max_backoff_s: float = 10.0,
        apply_batch: ApplyBatch | None = None,
    ) -> None:
        self._accepted, self._apply, self._dead_letters = tuple(accepted), apply, dead_letters
        self._max_backoff_s, self._failures = max_backoff_s, 0
        self._apply_batch = apply_batch
        self._log = structlog.get_logger("consumer")

    async def __call__(self, msg: KafkaMessage) -> None:
        """Handle a message's records in order; raising makes FastStream seek back."""
        records = records_of(msg)
        if self._apply_batch is not None:
            await self.handle_batch(records)
            return
        for record in records:
            await self.handle(record)

    async def handle_batch(self, records: Sequence[Record]) -> None:
        """Dead-letter the invalid records, then apply the valid ones in one `apply_batch` call."""
        assert self._apply_batch is not None, "handle_batch needs apply_batch"
        valid: list[tuple[Record, CloudEvent, EventPayload]] = []
        for record in records:
            if record.value is None and record.key is not None:
                continue  # a tombstone, see `handle`
            try:
                envelope, payload = decode(record.value, self._accepted)
            except InvalidEventError as exc:
                await self._dead_letter(record, exc)
                continue
            valid.append((record, envelope, payload))
        if valid:
            await self._apply_all(valid)

    async def _dead_letter(self, record: Record, exc: InvalidEventError) -> None:
        with structlog.contextvars.bound_contextvars(
            topic=record.topic, partition=record.partition, offset=record.offset
        ):
            self._log.warning("event dead-lettered", reason=exc.reason)
        await self._dead_letters.send(record, exc.reason)
        metrics().events.labels(self._dead_letters.consumer, record.topic, "dead_lettered").inc()

    async def _apply_all(self, valid: list[tuple[Record, CloudEvent, EventPayload]]) -> None:
        assert self._apply_batch is not None
        name, began, first = self._dead_letters.consumer, time.perf_counter(), valid[0][0]
        ids = [envelope.requestid for _, envelope, _ in valid]
        # Events of one request (the usual batch of a single API write) keep it as theirs.
        sole = ids[0] if ids.count(ids[0]) == len(ids) else None
        try:
            with structlog.contextvars.bound_contextvars(
                topic=first.topic, partition=first.partition, offset=first.offset, count=len(valid),
                **_request_ids(ids),
            ), bound_request_id(sole):  # fmt: skip
                rejected = await self._apply_batch(
                    [(envelope, payload) for _, envelope, payload in valid]
                )
                self._note_if_slow(began, [envelope for _, envelope, _ in valid])
        except Exception:
            for record, _, _ in valid:
                metrics().events.labels(name, record.topic, "retried").inc()
            await self._back_off()
            raise
        self._failures = 0
        share = (time.perf_counter() - began) / len(valid)
        refused = dict(rejected or ())
        for index, (record, _, _) in enumerate(valid):
            if index in refused:
                await self._dead_letter(record, refused[index])
                continue
            metrics().events.labels(name, record.topic, "applied").inc()
            metrics().handler_seconds.labels(name, record.topic).observe(share)

    def _note_if_slow(self, began: float, envelopes: Sequence[CloudEvent]) -> None:
        # Everything behind a slow batch on its partitions waits for it: name it.
        seconds = time.perf_counter() - began
        if seconds >= SLOW_BATCH_S:
            self._log.warning(
                "slow batch", ms=round(1000 * seconds, 1),
                subjects=[e.subject for e in envelopes[:MAX_LOGGED_IDS]],
            )  # fmt: skip

    async def handle(self, record: Record) -> None:
        """Handle one record: apply, dead-letter, or raise after a back-off pause."""
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
                with (
                    structlog.contextvars.bound_contextvars(
                        event_id=str(envelope.id), subject=envelope.subject
                    ),
                    bound_request_id(envelope.requestid),
                ):
                    await self._apply(envelope, payload)
                    self._note_if_slow(began, [envelope])
                outcome = "applied"
            except InvalidEventError as exc:
                self._log.warning("event dead-lettered", reason=exc.reason)
                await self._dead_letters.send(record, exc.reason)
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


def _request_ids(ids: Iterable[str | None]) -> dict[str, Any]:
    # A batch's log lines name its request ids: one, or the first few of several.
    found = list(dict.fromkeys(i for i in ids if i is not None))
    if len(found) == 1:
        return {"request_id": found[0]}
    return {"request_ids": found[:MAX_LOGGED_IDS]} if found else {}


async def _raw_body(message: StreamMessage[Any]) -> Any:
    # EventConsumer decodes and validates the bytes itself; FastStream's own JSON
    # decoding would fail on a malformed record before the handler could
    # dead-letter it, and NACK_ON_ERROR would then redeliver it forever.
    return message.body


class _ResolvedOnTheLoop(Context):
    """faststream's `Context`, resolved on the event loop instead of in a worker thread.

    fast_depends runs a synchronous `use` through the thread pool; for a dictionary
    lookup per consumed batch the hop cost more than the lookup (about 5 % of each
    consumer process's samples under load, and a thread switch of latency per batch).
    """

    async def use(self, /, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        resolved: dict[str, Any] = super().use(**kwargs)
        return resolved


InjectedMessage = Annotated[KafkaMessage, _ResolvedOnTheLoop("message")]


def subscribe(
    router: KafkaRouter,
    consumer: EventConsumer,
    *topics: str,
    group: str,
    title: str,
    description: str,
    max_batch: int = MAX_BATCH,
) -> None:
    """Subscribe `consumer` to `topics` in group `group`; offsets committed after each
    batch was applied, in the background (shared.commits)."""
    metrics().track_lag(group, topics)

    committer = OffsetCommitter(group)

    @router.subscriber(
        *topics,
        group_id=group,
        auto_offset_reset="earliest",
        # Acknowledged below: a failed batch is sought back, an applied one noted for
        # a commit in the background (shared.commits).
        ack_policy=AckPolicy.MANUAL,
        batch=True,
        max_records=max_batch,
        batch_timeout_ms=BATCH_WAIT_MS,
        decoder=_raw_body,
        title=title,
        description=description,
    )
    async def handle(message: InjectedMessage) -> None:
        try:
            await consumer(message)
        except Exception:
            await message.nack()  # rewinds each partition to the batch's first record
            raise
        if isinstance(message.consumer, AIOKafkaConsumer):
            await committer.applied(message.consumer, records_of(message))
        else:
            await message.ack()  # FastStream's in-memory test broker
