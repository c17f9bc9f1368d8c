"""Match events carry the request id of the input event that caused them, batch or not."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from faststream.kafka import KafkaBroker

from services.matching.config import MatchingSettings
from services.matching.entrypoints.app import create_app
from shared.events import CONTENT_TYPE, CloudEvent, EventPayload
from shared.topics import PROFILES, VACANCIES
from tests.apps import running
from tests.integration.matching.helpers import match_events, settled
from tests.integration.matching.test_matching_consumer import profile, vacancy
from tests.waiting import eventually

pytestmark = pytest.mark.integration


async def _publish(
    broker: KafkaBroker, settings: MatchingSettings, topic: str, event: EventPayload, rid: str
) -> None:
    value = CloudEvent.wrap(event, source="test", request_id=rid).to_bytes()
    await broker.publish(
        value, settings.kafka.topic(topic), key=event.subject().encode(),
        headers={"content-type": CONTENT_TYPE},
    )  # fmt: skip


async def test_each_match_carries_the_request_id_of_the_vacancy_that_caused_it(
    settings: MatchingSettings, publisher: KafkaBroker, database_url: str
) -> None:
    pid, first, second = uuid4(), uuid4(), uuid4()
    async with running(create_app(settings)):
        await _publish(publisher, settings, PROFILES, profile(pid), "req-profile")
        await eventually(lambda: settled(settings, database_url), what="the profile")
    # Published while the matcher is down, so they arrive together in one batch.
    await _publish(publisher, settings, VACANCIES, vacancy(first), "req-first")
    await _publish(publisher, settings, VACANCIES, vacancy(second), "req-second")
    async with running(create_app(settings)):

        async def both_found() -> list[dict[str, Any]]:
            # The session's database also holds other tests' vacancies: only ours count.
            ours = {str(first), str(second)}
            found = [e for e in await match_events(settings) if e["data"]["vacancy_id"] in ours]
            return found if len(found) == 2 else []

        found = await eventually(both_found, timeout=40, what="both matches")
    by_vacancy = {e["data"]["vacancy_id"]: e.get("requestid") for e in found}
    assert by_vacancy == {str(first): "req-first", str(second): "req-second"}
