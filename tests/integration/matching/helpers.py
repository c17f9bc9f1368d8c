"""Publishing inputs and reading the matcher's outputs in integration tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from uuid import UUID

import asyncpg
from faststream.kafka import KafkaBroker

from services.matching.config import MatchingSettings
from shared.events import CONTENT_TYPE, CloudEvent, EventPayload
from shared.topics import MATCHES, PROFILES, TRAINING_OFFERS, VACANCIES
from tests.kafka_tools import caught_up, read_all

GMP = "http://data.europa.eu/esco/skill/gmp"
PLANT = "http://data.europa.eu/esco/skill/operate-chemical-plant"
INPUTS = (VACANCIES, PROFILES, TRAINING_OFFERS)


def settings_for(stack_kafka: str, redis: str, database_url: str, prefix: str) -> MatchingSettings:
    return MatchingSettings.model_validate(
        {
            "kafka_bootstrap_servers": stack_kafka,
            "kafka_topic_prefix": prefix,
            "database_url": database_url,
            "redis_url": redis,
            "outbox_poll_interval_s": 0.2,
            "load_page_size": 2,  # several pages even for a small state
            "reject_unknown_competences": False,
        }
    )


async def publish(
    broker: KafkaBroker, settings: MatchingSettings, topic: str, event: EventPayload | bytes
) -> None:
    if isinstance(event, bytes):
        value, key = event, b"bad"
    else:
        value, key = CloudEvent.wrap(event, source="test").to_bytes(), event.subject().encode()
    await broker.publish(
        value, settings.kafka.topic(topic), key=key, headers={"content-type": CONTENT_TYPE}
    )


async def settled(settings: MatchingSettings, database_url: str) -> bool:
    """The matcher consumed every input and its outbox is empty."""
    topics = [settings.kafka.topic(t) for t in INPUTS]
    if not await caught_up(
        settings.kafka_bootstrap_servers, settings.kafka.group("matching"), topics
    ):
        return False
    conn = await asyncpg.connect(database_url)
    try:
        return bool(
            await conn.fetchval("SELECT count(*) = 0 FROM matching.outbox WHERE sent_at IS NULL")
        )
    finally:
        await conn.close()


async def outbox_rows(database_url: str, key: str) -> list[str | None]:
    """The values (as text, None for a tombstone) of the matcher's outbox rows of a key."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT convert_from(value, 'UTF8') AS v FROM matching.outbox WHERE key = $1"
            " ORDER BY id",
            key,
        )
        return [r["v"] for r in rows]
    finally:
        await conn.close()


async def match_events(settings: MatchingSettings) -> list[dict[str, Any]]:
    """Every event on the matches topic (tombstones left out)."""
    records = await read_all(settings.kafka_bootstrap_servers, settings.kafka.topic(MATCHES))
    return [json.loads(r.value) for r in records if r.value is not None]


async def match_tombstones(settings: MatchingSettings) -> list[str]:
    """The keys of the tombstones on the matches topic, in order."""
    records = await read_all(settings.kafka_bootstrap_servers, settings.kafka.topic(MATCHES))
    return [r.key.decode() for r in records if r.value is None]


def of_pairs(events: Iterable[dict[str, Any]], vacancy_ids: set[UUID]) -> list[dict[str, Any]]:
    wanted = {str(v) for v in vacancy_ids}
    return [e for e in events if e["data"]["vacancy_id"] in wanted]


def active_pairs(events: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """The pairs whose latest event (by match version) is not a retraction."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for e in events:
        key = (e["data"]["vacancy_id"], e["data"]["profile_id"])
        if key not in latest or latest[key]["data"]["version"] < e["data"]["version"]:
            latest[key] = e
    return {k for k, e in latest.items() if not e["type"].endswith("retracted.v1")}


async def rewind(settings: MatchingSettings) -> None:
    """Set the (idle) matcher group's offsets on every input topic back to 0."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=settings.kafka.group("matching"),
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        partitions = [
            TopicPartition(settings.kafka.topic(t), p)
            for t in INPUTS
            for p in consumer.partitions_for_topic(settings.kafka.topic(t)) or ()
        ]
        consumer.assign(partitions)
        await consumer.commit({tp: 0 for tp in partitions})
    finally:
        await consumer.stop()
