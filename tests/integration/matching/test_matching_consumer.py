"""The matcher against real Kafka and PostgreSQL: lifecycle, replay from 0, restart, bad input."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker

from services.matching.config import MatchingSettings
from services.matching.entrypoints.app import create_app
from shared.events import (
    ProfileErasedV1,
    ProfilePublishedV1,
    ProfileUpdatedV1,
    TrainingOfferPublishedV1,
    VacancyOpenedV1,
)
from shared.topics import DEADLETTER, PROFILES, TRAINING_OFFERS, VACANCIES
from tests.apps import running
from tests.integration.matching.helpers import (
    GMP,
    PLANT,
    active_pairs,
    match_events,
    match_tombstones,
    of_pairs,
    outbox_rows,
    publish,
    rewind,
    settled,
)
from tests.kafka_tools import read_all
from tests.waiting import eventually

pytestmark = pytest.mark.integration


def vacancy(vid: UUID, version: int = 1, postcode: str = "06237") -> VacancyOpenedV1:
    return VacancyOpenedV1.model_validate(
        {
            "vacancy_id": str(vid),
            "version": version,
            "organisation_id": str(uuid4()),
            "occupation": "http://data.europa.eu/esco/occupation/chemical-production-operator",
            "competences": [
                {"competence_id": GMP, "min_level": 3},
                {"competence_id": PLANT, "min_level": 2, "importance": "should"},
            ],
            "postcode": postcode,
            "radius_km": 40,
        }
    )


def profile(
    pid: UUID, version: int = 1, level: int = 2, postcode: str = "06258", *, update: bool = False
) -> ProfilePublishedV1 | ProfileUpdatedV1:
    kind = ProfileUpdatedV1 if update else ProfilePublishedV1
    return kind.model_validate(
        {
            "profile_id": str(pid),
            "version": version,
            "occupations": [],
            "competences": [
                {"competence_id": GMP, "level": level, "evidence": "certified"},
                {"competence_id": PLANT, "level": 3},
            ],
            "postcode": postcode,
            "radius_km": 30,
        }
    )


def course(oid: UUID) -> TrainingOfferPublishedV1:
    return TrainingOfferPublishedV1.model_validate(
        {
            "offer_id": str(oid),
            "version": 1,
            "title": "GMP für Pharmakanten",
            "competences": [{"competence_id": GMP, "level": 3}],
            "duration_hours": 120,
            "online": True,
        }
    )


async def test_lifecycle_then_replay_from_offset_zero_emits_nothing_new(
    settings: MatchingSettings, publisher: KafkaBroker, database_url: str
) -> None:
    vid, near, far, oid = uuid4(), uuid4(), uuid4(), uuid4()
    async with running(create_app(settings)):
        await publish(publisher, settings, TRAINING_OFFERS, course(oid))
        # Topics are consumed in no fixed order: the offer must be known before the pair.
        await eventually(lambda: settled(settings, database_url), what="the offer")
        await publish(publisher, settings, VACANCIES, vacancy(vid))
        await publish(publisher, settings, PROFILES, profile(near))
        await publish(publisher, settings, PROFILES, profile(far, postcode="24103"))

        async def found() -> list[dict[str, Any]]:
            return of_pairs(await match_events(settings), {vid})

        (match,) = await eventually(found, timeout=30, what="the match event")
        data = match["data"]
        assert match["type"] == "de.drehscheibe.match.found.v1"
        assert data["profile_id"] == str(near)
        assert [(g["competence_id"], g["held_level"]) for g in data["gap"]] == [(GMP, 2)]
        assert [o["offer_id"] for o in data["offers"]] == [str(oid)]
        assert data["vacancy_district_code"] == "15088"
        assert {c["name"] for c in data["components"]} >= {"competence", "region"}

        await publish(publisher, settings, PROFILES, profile(near, 2, level=4, update=True))
        await publish(publisher, settings, PROFILES, profile(near, 1, level=1))  # stale
        await publish(publisher, settings, PROFILES, ProfileErasedV1(profile_id=near, version=3))

        async def three() -> list[dict[str, Any]]:
            events = await found()
            return events if len(events) >= 3 else []

        events = await eventually(three, timeout=30, what="update and retraction")
        await eventually(lambda: settled(settings, database_url), what="all consumed")
    assert [e["type"].split(".")[-2] for e in events] == ["found", "updated", "retracted"]
    assert [e["data"]["version"] for e in events] == [1, 2, 3]
    assert events[2]["data"]["reason"] == "profile erased"
    assert await match_tombstones(settings) == [f"{vid}:{near}"]
    # Erasure: the found and updated events left the matcher's outbox; the retraction
    # and its tombstone are what remain of the pair there.
    kept = await outbox_rows(database_url, f"{vid}:{near}")
    assert [("retracted" if v else "tombstone") for v in kept] == ["retracted", "tombstone"]
    assert "match.retracted" in (kept[0] or "")
    before = await match_events(settings)

    await rewind(settings)
    async with running(create_app(settings)):  # restarts from the tables, rereads from 0
        await eventually(lambda: settled(settings, database_url), what="the replay")
    assert await match_events(settings) == before


async def test_bad_records_go_to_the_dead_letter_topic_and_the_consumer_carries_on(
    settings: MatchingSettings, publisher: KafkaBroker, database_url: str
) -> None:
    vid, good = uuid4(), uuid4()
    async with running(create_app(settings)):
        await publish(publisher, settings, VACANCIES, b"\x00not json")
        await publish(publisher, settings, VACANCIES, vacancy(vid, postcode="00000"))
        await publish(publisher, settings, VACANCIES, vacancy(good))

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
    assert active_pairs(await match_events(settings)) == set()
