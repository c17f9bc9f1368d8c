"""The matcher against real Kafka and PostgreSQL: matches, replays, stale versions, bad input."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import asyncpg
import pytest
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker

from services.matching.config import MatchingSettings
from services.matching.entrypoints.app import create_app
from shared.events import (
    CONTENT_TYPE,
    CloudEvent,
    EventPayload,
    ProfilePublishedV1,
    VacancyOpenedV1,
)
from shared.kafka import create_broker
from shared.topics import DEADLETTER, MATCHES, PROFILES, VACANCIES
from tests.apps import running
from tests.kafka_tools import caught_up, read_all
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.integration
GMP = "esco:gmp"


def vacancy(vid: UUID, version: int = 1, postcode: str = "06237") -> VacancyOpenedV1:
    return VacancyOpenedV1.model_validate(
        {
            "vacancy_id": str(vid),
            "version": version,
            "occupation": "esco:chemikant",
            "competences": [{"competence_id": GMP, "min_level": 3}],
            "postcode": postcode,
            "radius_km": 40,
        }
    )


def profile(
    pid: UUID, version: int = 1, level: int = 2, postcode: str = "06258"
) -> ProfilePublishedV1:
    return ProfilePublishedV1.model_validate(
        {
            "profile_id": str(pid),
            "version": version,
            "occupations": ["esco:chemikant"],
            "competences": [{"competence_id": GMP, "level": level}],
            "postcode": postcode,
            "radius_km": 30,
        }
    )


@pytest.fixture
def settings(stack: StackUrls, database_url: str, topic_prefix: str) -> MatchingSettings:
    return MatchingSettings.model_validate(
        {
            "kafka_bootstrap_servers": stack.kafka,
            "kafka_topic_prefix": topic_prefix,
            "database_url": database_url,
            "redis_url": stack.redis_url,
            "outbox_poll_interval_s": 0.2,
        }
    )


@pytest.fixture
async def publisher(settings: MatchingSettings) -> AsyncIterator[KafkaBroker]:
    broker = create_broker(settings.kafka)
    await broker.connect()
    yield broker
    await broker.stop()


async def publish(
    broker: KafkaBroker, settings: MatchingSettings, topic: str, event: CloudEvent | bytes, key: str
) -> None:
    value = event if isinstance(event, bytes) else event.to_bytes()
    await broker.publish(
        value, settings.kafka.topic(topic), key=key.encode(), headers={"content-type": CONTENT_TYPE}
    )


def wrap(payload: EventPayload) -> CloudEvent:
    return CloudEvent.wrap(payload, source="test")


async def settled(settings: MatchingSettings, database_url: str) -> bool:
    """The matcher consumed everything and its outbox is empty."""
    topics = [settings.kafka.topic(VACANCIES), settings.kafka.topic(PROFILES)]
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


async def matches_for(settings: MatchingSettings, vacancy_id: UUID) -> list[dict[str, object]]:
    records = await read_all(settings.kafka_bootstrap_servers, settings.kafka.topic(MATCHES))
    events = [json.loads(r.value) for r in records]
    return [e for e in events if e["data"]["vacancy_id"] == str(vacancy_id)]


async def test_fit_emits_one_explained_match_and_a_replay_emits_nothing(
    settings: MatchingSettings, publisher: KafkaBroker, database_url: str
) -> None:
    vid, pid = uuid4(), uuid4()
    events = [(VACANCIES, wrap(vacancy(vid)), str(vid)), (PROFILES, wrap(profile(pid)), str(pid))]
    async with running(create_app(settings)):
        for topic, event, key in events:
            await publish(publisher, settings, topic, event, key)

        async def one_match() -> list[dict[str, object]]:
            return await matches_for(settings, vid)

        (match,) = await eventually(one_match, timeout=30, what="the match event")
        data = match["data"]
        assert isinstance(data, dict)
        assert data["profile_id"] == str(pid)
        assert [g["competence_id"] for g in data["gap"]] == [GMP]
        assert {c["name"] for c in data["components"]} == {"competence", "region"}

        for topic, event, key in events:  # the same events again, as after a rewind
            await publish(publisher, settings, topic, event, key)
        await eventually(lambda: settled(settings, database_url), what="the replay to be consumed")
        assert len(await matches_for(settings, vid)) == 1


async def test_stale_version_is_ignored(
    settings: MatchingSettings, publisher: KafkaBroker, database_url: str
) -> None:
    pid = uuid4()
    async with running(create_app(settings)):
        await publish(
            publisher, settings, PROFILES, wrap(profile(pid, version=2, level=4)), str(pid)
        )
        await publish(
            publisher, settings, PROFILES, wrap(profile(pid, version=1, level=1)), str(pid)
        )
        await eventually(lambda: settled(settings, database_url), what="both versions consumed")
    conn = await asyncpg.connect(database_url)
    try:
        row = await conn.fetchrow(
            "SELECT version, competences FROM matching.profiles WHERE id=$1", pid
        )
    finally:
        await conn.close()
    assert row is not None
    assert row["version"] == 2
    assert json.loads(row["competences"])[0]["level"] == 4


async def test_bad_records_go_to_the_dead_letter_topic_and_the_consumer_carries_on(
    settings: MatchingSettings, publisher: KafkaBroker, database_url: str
) -> None:
    vid, good = uuid4(), uuid4()
    async with running(create_app(settings)):
        await publish(publisher, settings, VACANCIES, b"\x00not json", str(vid))
        await publish(
            publisher, settings, VACANCIES, wrap(vacancy(vid, postcode="00000")), str(vid)
        )
        await publish(publisher, settings, VACANCIES, wrap(vacancy(good)), str(good))

        async def two_dead() -> list[ConsumerRecord]:
            records = await read_all(
                settings.kafka_bootstrap_servers, settings.kafka.topic(DEADLETTER)
            )
            return records if len(records) >= 2 else []

        dead = await eventually(two_dead, timeout=30, what="two dead letters")
        await eventually(lambda: settled(settings, database_url), what="the good vacancy")
    reasons = sorted(dict(r.headers)["dlq-reason"].decode() for r in dead)
    assert reasons[0].startswith("not JSON")
    assert "postcode" in reasons[1]
    assert all(dict(r.headers)["dlq-consumer"] == b"matching" for r in dead)
    conn = await asyncpg.connect(database_url)
    try:
        stored = await conn.fetchval("SELECT count(*) FROM matching.vacancies WHERE id = $1", good)
    finally:
        await conn.close()
    assert stored == 1
