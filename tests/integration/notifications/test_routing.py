"""Subscriptions route matches and bulletins; replaying the inputs sends nothing new."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeAlias
from uuid import uuid4

import asyncpg
import pytest
from faststream.kafka import KafkaBroker

from services.notifications.config import NotificationsSettings
from shared.events import CloudEvent, MatchRetractedV1
from shared.topics import MATCHES
from tests.integration.notifications.conftest import Running
from tests.integration.notifications.helpers import (
    AALEN,
    LEIPZIG,
    ULM,
    WELDER,
    bulletin,
    match_found,
    publish,
    send,
    subscription,
    subscription_status,
)
from tests.integration.notifications.receiver import Receiver, receiving
from tests.waiting import eventually

pytestmark = pytest.mark.integration

Settings = Callable[..., NotificationsSettings]
Ledger: TypeAlias = "asyncpg.Connection[asyncpg.Record]"


async def _subscribe(
    publisher: KafkaBroker, prefix: str, ledger: Ledger, receiver: Receiver, **fields: object
) -> CloudEvent:
    receiver.path = f"/hooks/{uuid4().hex[:8]}"
    event = await send(publisher, prefix, subscription(receiver.url, **fields))

    async def active() -> bool:
        return await subscription_status(ledger, event.data["subscription_id"]) == "active"

    await eventually(active, what="the subscription to be stored")
    return event


def _types(receiver: Receiver) -> list[str]:
    return [r.headers["x-drehscheibe-event"].split(".")[2] for r in receiver.requests]


async def test_matches_reach_region_hubs_and_posting_firms_only(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: Ledger,
) -> None:
    firm = uuid4()
    async with (
        receiving() as aalen_hub,
        receiving() as leipzig_hub,
        receiving() as posting_firm,
        receiving() as other_firm,
        receiving() as picky_hub,
        running(settings_for(allow_insecure_localhost=True)),
    ):
        p = (publisher, topic_prefix, ledger)
        await _subscribe(*p, aalen_hub, district_codes=[AALEN, ULM])
        await _subscribe(*p, leipzig_hub, district_codes=[LEIPZIG])
        await _subscribe(*p, posting_firm, organisation_id=firm, organisation_kind="firm")
        # A firm's region never brings it other firms' matches.
        await _subscribe(*p, other_firm, organisation_kind="firm", district_codes=[AALEN])
        await _subscribe(*p, picky_hub, min_score=0.9, occupations=[WELDER])

        hit = match_found(
            vacancy_district_code=LEIPZIG,
            profile_district_code=AALEN,
            vacancy_organisation_id=firm,
            occupation=WELDER,
            score=0.8,
        )
        await send(publisher, topic_prefix, hit)
        retraction = MatchRetractedV1(
            version=2, vacancy_id=hit.vacancy_id, profile_id=hit.profile_id, reason="closed"
        )
        await send(publisher, topic_prefix, retraction)
        # A later match that only the picky hub's filters let through marks the end.
        last = match_found(occupation=WELDER, score=0.95, vacancy_district_code="09162")
        await send(publisher, topic_prefix, last)
        await eventually(lambda: _count(picky_hub, 1), what="the last match")
        await eventually(lambda: _count(aalen_hub, 2), what="found and retracted")

    assert _types(aalen_hub) == ["match", "match"]
    assert [json.loads(r.body)["type"] for r in aalen_hub.requests] == [
        "de.drehscheibe.match.found.v1",
        "de.drehscheibe.match.retracted.v1",
    ]
    assert len(leipzig_hub.requests) == 2
    assert len(posting_firm.requests) == 2
    assert other_firm.requests == []
    assert [json.loads(r.body)["data"]["score"] for r in picky_hub.requests] == [0.95]


async def test_bulletins_go_by_kind_region_and_occupation_while_valid(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: Ledger,
) -> None:
    now = datetime.now(UTC)
    async with (
        receiving() as aalen_hub,
        receiving() as firm,
        receiving() as leipzig_hub,
        receiving() as matches_only,
        running(settings_for(allow_insecure_localhost=True)),
    ):
        p = (publisher, topic_prefix, ledger)
        await _subscribe(*p, aalen_hub, district_codes=[AALEN], occupations=[WELDER])
        await _subscribe(*p, firm, organisation_kind="firm")
        await _subscribe(*p, leipzig_hub, district_codes=[LEIPZIG])
        await _subscribe(*p, matches_only, event_kinds=["match.found"])

        await send(publisher, topic_prefix, bulletin(title="expired", valid_until=now))
        await send(
            publisher,
            topic_prefix,
            bulletin(
                title="hubs", target_organisation_kinds=["hub"], target_district_codes=[AALEN]
            ),
        )
        await send(publisher, topic_prefix, bulletin(title="all", target_occupations=[WELDER]))
        await eventually(lambda: _count(firm, 1), what="the bulletin for all")
        await eventually(lambda: _count(leipzig_hub, 1), what="the bulletin for all")
        await eventually(lambda: _count(aalen_hub, 2), what="both bulletins")

    titles = [json.loads(r.body)["data"]["title"] for r in aalen_hub.requests]
    assert sorted(titles) == ["all", "hubs"]
    assert [json.loads(r.body)["data"]["title"] for r in firm.requests] == ["all"]
    assert [json.loads(r.body)["data"]["title"] for r in leipzig_hub.requests] == ["all"]
    assert matches_only.requests == []


async def test_replaying_the_inputs_sends_nothing_new(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: Ledger,
) -> None:
    async with receiving() as hub, receiving() as late:
        settings = settings_for(allow_insecure_localhost=True)
        async with running(settings):
            await _subscribe(publisher, topic_prefix, ledger, hub)
            first = await send(publisher, topic_prefix, match_found())
            await eventually(lambda: _count(hub, 1), what="the first delivery")
        async with running(settings):
            # A subscription that arrives later must not receive the replayed match.
            await _subscribe(publisher, topic_prefix, ledger, late)
            await publish(publisher, topic_prefix, MATCHES, first)
            await publish(publisher, topic_prefix, MATCHES, first)
            await send(publisher, topic_prefix, match_found(vacancy_id=first.data["vacancy_id"]))
            await eventually(lambda: _count(hub, 2), what="the newer match")
            await eventually(lambda: _count(late, 1), what="the newer match")
        rows = await ledger.fetch("SELECT count(*) AS n FROM deliveries GROUP BY source_event_id")

    assert len(set(hub.delivery_ids())) == 2
    assert len(late.requests) == 1
    assert sorted(r["n"] for r in rows) == [1, 2]


async def _count(receiver: Receiver, n: int) -> bool:
    return len(receiver.requests) >= n
