"""The shared consumer counts what it does: applied, dead-lettered, retried."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast
from uuid import uuid4

import pytest
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from faststream.kafka.message import KafkaMessage
from prometheus_client import generate_latest

from shared.consuming import DeadLetters, EventConsumer
from shared.events import CloudEvent, EventPayload, VacancyOpenedV1
from shared.metrics import metrics
from shared.settings import KafkaSettings


@dataclass
class FakeBroker:
    published: list[tuple[bytes, str, dict[str, str]]] = field(default_factory=list)

    async def publish(
        self, value: bytes, topic: str, *, key: bytes | None, headers: dict[str, str]
    ) -> None:
        self.published.append((value, topic, headers))


@dataclass
class FakeMessage:
    raw_message: ConsumerRecord[bytes, bytes]
    headers: dict[str, str] = field(default_factory=dict)


def record(value: bytes | None, topic: str = "t.hub.vacancies.v1") -> KafkaMessage:
    raw: ConsumerRecord[bytes, bytes] = ConsumerRecord(
        topic=topic,
        partition=0,
        offset=1,
        timestamp=0,
        timestamp_type=0,
        key=b"k",
        value=value,
        checksum=None,
        serialized_key_size=1,
        serialized_value_size=len(value or b""),
        headers=(),
    )
    return cast("KafkaMessage", FakeMessage(raw))


def vacancy_event() -> bytes:
    payload = VacancyOpenedV1.model_validate(
        {
            "vacancy_id": str(uuid4()),
            "version": 1,
            "occupation": "x",
            "competences": [{"competence_id": "c", "min_level": 1}],
            "postcode": "06237",
            "radius_km": 10,
        }
    )
    return CloudEvent.wrap(payload, source="test").to_bytes()


def count(name: str, **labels: str) -> float:
    value = metrics().registry.get_sample_value(name, labels)
    return value or 0.0


def consumer(broker: FakeBroker, fail: bool = False) -> EventConsumer:
    kafka = KafkaSettings(bootstrap_servers="x", topic_prefix="t.", client_id="c")
    dead = DeadLetters(cast("KafkaBroker", broker), kafka, consumer="metrics-test")

    async def apply(_: CloudEvent, __: EventPayload) -> None:
        if fail:
            raise ConnectionError("database down")

    return EventConsumer(
        accepted=[VacancyOpenedV1], apply=apply, dead_letters=dead, max_backoff_s=0.0
    )


async def test_applied_and_dead_lettered_records_are_counted() -> None:
    broker = FakeBroker()
    labels = {"consumer": "metrics-test", "topic": "t.hub.vacancies.v1"}
    before_ok = count("drehscheibe_events_total", **labels, outcome="applied")
    before_dead = count("drehscheibe_dead_letters_total", **labels, reason="not JSON")
    handle = consumer(broker)
    await handle(record(vacancy_event()))
    await handle(record(b"\x00garbage"))
    assert count("drehscheibe_events_total", **labels, outcome="applied") == before_ok + 1
    assert count("drehscheibe_dead_letters_total", **labels, reason="not JSON") == before_dead + 1
    assert [topic for _, topic, _ in broker.published] == ["t.hub.deadletter.v1"]
    assert broker.published[0][2]["dlq-reason"].startswith("not JSON")


async def test_a_failing_apply_is_retried_and_counted() -> None:
    labels = {"consumer": "metrics-test", "topic": "t.hub.vacancies.v1", "outcome": "retried"}
    before = count("drehscheibe_events_total", **labels)
    with pytest.raises(ConnectionError):
        await consumer(FakeBroker(), fail=True)(record(vacancy_event()))
    assert count("drehscheibe_events_total", **labels) == before + 1


async def test_tombstones_are_skipped_without_dead_letters() -> None:
    broker = FakeBroker()
    await consumer(broker)(record(None))
    assert broker.published == []


def test_the_registry_renders_in_the_exposition_format() -> None:
    text = generate_latest(metrics().registry).decode()
    assert "drehscheibe_events_total" in text
    assert "drehscheibe_outbox_backlog" in text
