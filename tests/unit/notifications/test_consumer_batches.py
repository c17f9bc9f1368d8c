"""The shared consumer's batch hook: valid events applied in one call, invalid dead-lettered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast
from uuid import uuid4

import pytest
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from faststream.kafka.message import KafkaMessage

from shared.consuming import DeadLetters, EventConsumer, Rejected
from shared.events import (
    CloudEvent,
    EventPayload,
    InvalidEventError,
    MatchFoundV1,
    ScoreComponent,
)
from shared.settings import KafkaSettings


@dataclass
class FakeBroker:
    published: list[dict[str, str]] = field(default_factory=list)

    async def publish(
        self, value: bytes, topic: str, *, key: bytes | None, headers: dict[str, str]
    ) -> None:
        self.published.append(headers)


@dataclass
class FakeBatch:
    raw_message: tuple[ConsumerRecord[bytes, bytes], ...]


def _record(value: bytes | None, offset: int) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(
        topic="t.hub.matches.v1",
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=b"k",
        value=value,
        checksum=None,
        serialized_key_size=1,
        serialized_value_size=len(value or b""),
        headers=(),
    )


def _batch(*values: bytes | None) -> KafkaMessage:
    records = tuple(_record(v, i) for i, v in enumerate(values))
    return cast("KafkaMessage", FakeBatch(records))


def _match() -> CloudEvent:
    payload = MatchFoundV1(
        version=1,
        vacancy_id=uuid4(),
        profile_id=uuid4(),
        vacancy_version=1,
        profile_version=1,
        score=0.8,
        distance_km=1.0,
        components=[ScoreComponent(name="c", value=0.8, weight=1.0, reason="r")],
        gap=[],
    )
    return CloudEvent.wrap(payload, source="test")


@dataclass
class Applied:
    batches: list[list[CloudEvent]] = field(default_factory=list)
    singles: list[CloudEvent] = field(default_factory=list)
    fail: bool = False
    reject: dict[int, str] = field(default_factory=dict)


def _consumer(broker: FakeBroker, applied: Applied, *, batched: bool = True) -> EventConsumer:
    kafka = KafkaSettings(bootstrap_servers="x", topic_prefix="t.", client_id="c")
    dead = DeadLetters(cast("KafkaBroker", broker), kafka, consumer="batch-test")

    async def apply(envelope: CloudEvent, _: EventPayload) -> None:
        applied.singles.append(envelope)

    async def apply_batch(events: Sequence[tuple[CloudEvent, EventPayload]]) -> Rejected:
        if applied.fail:
            raise ConnectionError("database down")
        applied.batches.append([envelope for envelope, _ in events])
        return [(i, InvalidEventError(why)) for i, why in applied.reject.items()]

    return EventConsumer(
        accepted=[MatchFoundV1],
        apply=apply,
        apply_batch=apply_batch if batched else None,
        dead_letters=dead,
        max_backoff_s=0.0,
    )


async def test_valid_events_go_to_apply_batch_in_order_in_one_call() -> None:
    broker, applied = FakeBroker(), Applied()
    first, second = _match(), _match()

    await _consumer(broker, applied)(_batch(first.to_bytes(), b"\x00junk", None, second.to_bytes()))

    assert [[e.id for e in batch] for batch in applied.batches] == [[first.id, second.id]]
    assert applied.singles == []
    assert [h["dlq-source-offset"] for h in broker.published] == ["1"]


async def test_events_the_batch_call_rejects_are_dead_lettered_with_its_reason() -> None:
    broker, applied = FakeBroker(), Applied(reject={1: "postcode 00000 cannot be resolved"})

    await _consumer(broker, applied)(_batch(_match().to_bytes(), b"junk", _match().to_bytes()))

    assert len(applied.batches[0]) == 2
    # Position 1 of the valid events is the third record: the junk one came between.
    assert [(h["dlq-source-offset"], h["dlq-reason"]) for h in broker.published] == [
        ("1", broker.published[0]["dlq-reason"]),
        ("2", "postcode 00000 cannot be resolved"),
    ]


async def test_a_failing_batch_raises_so_the_whole_batch_is_redelivered() -> None:
    applied = Applied(fail=True)
    with pytest.raises(ConnectionError):
        await _consumer(FakeBroker(), applied)(_batch(_match().to_bytes()))


async def test_a_batch_of_only_invalid_records_applies_nothing() -> None:
    broker, applied = FakeBroker(), Applied()
    await _consumer(broker, applied)(_batch(b"{}", b"not json"))
    assert applied.batches == []
    assert len(broker.published) == 2


async def test_without_the_hook_records_are_applied_one_by_one() -> None:
    applied = Applied()
    first, second = _match(), _match()
    await _consumer(FakeBroker(), applied, batched=False)(
        _batch(first.to_bytes(), second.to_bytes())
    )
    assert [e.id for e in applied.singles] == [first.id, second.id]
    assert applied.batches == []
