"""Two matcher replicas in one consumer group produce exactly the matches one would."""

from __future__ import annotations

import random
import uuid
from contextlib import AsyncExitStack
from typing import Any

import pytest
from faststream.kafka import KafkaBroker

from services.matching.bootstrap import policy_of
from services.matching.config import MatchingSettings
from services.matching.domain.engine import Engine
from services.matching.domain.related import RelatedCompetences
from services.matching.domain.state import Dirty
from services.matching.entrypoints.app import create_app
from services.matching.service_layer.translate import Translator
from shared.events import EventPayload, ProfilePublishedV1, VacancyOpenedV1
from shared.kafka import create_broker
from shared.reference.geo import PostcodeDirectory
from shared.topics import PROFILES, VACANCIES
from tests.apps import running
from tests.integration.matching.helpers import (
    GMP,
    PLANT,
    active_pairs,
    match_events,
    publish,
    settings_for,
    settled,
)
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.integration
PLACES = ["06237", "06258", "06108", "06217", "06231", "06112", "06184", "04109"]


def inputs(seed: int) -> list[tuple[str, EventPayload]]:
    rng = random.Random(seed)
    events: list[tuple[str, EventPayload]] = []
    for i in range(140):
        if i % 4 == 0:
            payload: EventPayload = VacancyOpenedV1.model_validate(
                {
                    "vacancy_id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "version": 1,
                    "occupation": "http://data.europa.eu/esco/occupation/chemical-production-operator",
                    "competences": [
                        {"competence_id": GMP, "min_level": rng.randint(1, 4)},
                        {"competence_id": PLANT, "min_level": 2, "importance": "should"},
                    ],
                    "postcode": rng.choice(PLACES),
                    "radius_km": rng.choice([20, 40, 80]),
                }
            )
            events.append((VACANCIES, payload))
        else:
            payload = ProfilePublishedV1.model_validate(
                {
                    "profile_id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "version": 1,
                    "occupations": [],
                    "competences": [
                        {"competence_id": GMP, "level": rng.randint(1, 5)},
                        {"competence_id": PLANT, "level": rng.randint(1, 5)},
                    ],
                    "postcode": rng.choice(PLACES),
                    "radius_km": rng.choice([10, 30, 60]),
                }
            )
            events.append((PROFILES, payload))
    return events


def expected(settings: MatchingSettings, events: list[tuple[str, EventPayload]]) -> set[Any]:
    """What a single matcher reaches, applying the events one by one."""
    engine = Engine(policy_of(settings), RelatedCompetences())
    translate = Translator(PostcodeDirectory.load(), None)
    for _, e in events:
        if isinstance(e, VacancyOpenedV1):
            engine.upsert_vacancy(translate.vacancy(e), Dirty())
        else:
            assert isinstance(e, ProfilePublishedV1)
            engine.upsert_profile(translate.profile(e), Dirty())
    return {(str(v), str(p)) for (v, p), r in engine.state.matches.items() if r.active}


async def test_two_replicas_in_one_group_match_exactly_like_one(
    stack: StackUrls, own_database: str, topic_prefix: str
) -> None:
    settings = settings_for(stack.kafka, stack.redis_url, own_database, topic_prefix)
    settings = settings.model_copy(update={"top_k_per_vacancy": 4, "top_k_per_profile": 2})
    events = inputs(seed=11)
    broker: KafkaBroker = create_broker(settings.kafka)
    await broker.connect()
    try:
        async with AsyncExitStack() as replicas:
            for _ in range(2):
                await replicas.enter_async_context(running(create_app(settings)))
            for topic, payload in events:
                await publish(broker, settings, topic, payload)
            await eventually(
                lambda: settled(settings, own_database), timeout=90, what="both replicas"
            )
    finally:
        await broker.stop()
    emitted = await match_events(settings)
    want = expected(settings, events)
    assert len(want) > 10
    assert active_pairs(emitted) == want
    versions = [
        (e["data"]["vacancy_id"], e["data"]["profile_id"], e["data"]["version"]) for e in emitted
    ]
    assert len(versions) == len(set(versions)), "no pair version was emitted twice"
