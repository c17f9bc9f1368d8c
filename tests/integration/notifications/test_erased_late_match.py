"""A match of an erased profile that is read after the erasure is never routed or sent."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import TypeAlias
from uuid import uuid4

import asyncpg
import pytest
from faststream.kafka import KafkaBroker

from services.notifications.config import NotificationsSettings
from shared.events import CloudEvent, MatchRetractedV1, ProfileErasedV1
from shared.topics import PROFILES
from tests.integration.notifications.conftest import Running
from tests.integration.notifications.helpers import (
    match_found,
    publish,
    send,
    subscription,
    subscriptions_stored,
)
from tests.integration.notifications.receiver import receiving
from tests.waiting import eventually

pytestmark = pytest.mark.integration

Settings = Callable[..., NotificationsSettings]
Ledger: TypeAlias = "asyncpg.Connection[asyncpg.Record]"


async def test_a_match_read_after_its_profiles_erasure_is_never_routed(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: Ledger,
) -> None:
    erased, other = uuid4(), uuid4()
    # One deadline for the whole exchange: a wait that never ends fails with its place.
    async with (
        asyncio.timeout(120),
        receiving() as hub,
        running(settings_for(allow_insecure_localhost=True)),
    ):
        await send(publisher, topic_prefix, subscription(hub.url))
        erasure = ProfileErasedV1(profile_id=erased, version=3)
        await publish(publisher, topic_prefix, PROFILES, CloudEvent.wrap(erasure, source="p"))

        async def remembered() -> bool:
            query = "SELECT 1 FROM erased_profiles WHERE profile_id = $1"
            return bool(await ledger.fetchval(query, erased))

        await eventually(remembered, what="the erasure to be processed")
        await subscriptions_stored(ledger, 1)
        late = match_found(profile_id=erased)
        await send(publisher, topic_prefix, late)
        retraction = MatchRetractedV1(
            version=2, vacancy_id=late.vacancy_id, profile_id=erased, reason="profile erased"
        )
        await send(publisher, topic_prefix, retraction)
        await send(publisher, topic_prefix, match_found(profile_id=other))  # marks the end

        async def delivered() -> bool:
            return len(hub.requests) >= 1

        await eventually(delivered, what="the other match")

    # The retraction has nobody to go to: no receiver was told of the pair.
    bodies = [json.loads(r.body) for r in hub.requests]
    assert [(b["type"], b["data"]["profile_id"]) for b in bodies] == [
        ("de.drehscheibe.match.found.v1", str(other)),
    ]
    found_rows = await ledger.fetchval(
        "SELECT count(*) FROM deliveries WHERE strpos(body::text, $1) > 0"
        " AND event_type = 'de.drehscheibe.match.found.v1'",
        str(erased),
    )
    assert found_rows == 0
