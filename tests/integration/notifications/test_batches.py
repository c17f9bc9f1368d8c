"""A consumed batch of matches is routed in one transaction, in order, once per event."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias
from uuid import uuid4

import asyncpg
import pytest
from faststream.kafka import KafkaBroker

from services.notifications.config import NotificationsSettings
from services.notifications.domain.routing import MatchEvent
from services.notifications.service_layer.handlers import RoutingPolicy, record_matches
from shared.events import CloudEvent, MatchRetractedV1
from tests.integration.notifications.conftest import Running
from tests.integration.notifications.helpers import (
    match_found,
    send,
    subscription,
    subscriptions_stored,
)
from tests.integration.notifications.receiver import receiving
from tests.waiting import eventually

pytestmark = pytest.mark.integration

Ledger: TypeAlias = "asyncpg.Connection[asyncpg.Record]"


async def test_a_batch_routes_in_order_and_each_event_once(
    settings_for: Callable[..., NotificationsSettings],
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: Ledger,
) -> None:
    found_payload = match_found(vacancy_id=uuid4())
    retracted_payload = MatchRetractedV1(
        version=2,
        vacancy_id=found_payload.vacancy_id,
        profile_id=found_payload.profile_id,
        reason="vacancy closed",
    )
    found = CloudEvent.wrap(found_payload, source="matching")
    retracted = CloudEvent.wrap(retracted_payload, source="matching")
    async with receiving() as hub, running(settings_for(allow_insecure_localhost=True)) as app:
        await send(publisher, topic_prefix, subscription(hub.url))

        await subscriptions_stored(ledger, 1)
        uow, policy = app.state.container.uow, RoutingPolicy()
        # The same event twice in one batch, then a retraction of the pair found in
        # the same batch: the retraction must see the delivery routed before it.
        batch: list[tuple[CloudEvent, MatchEvent]] = [
            (found, found_payload),
            (found, found_payload),
            (retracted, retracted_payload),
        ]
        assert await record_matches(uow, batch, policy) == 2
        assert await record_matches(uow, [(found, found_payload)], policy) == 0

        async def both_delivered() -> bool:
            return len(hub.acknowledged()) == 2

        await eventually(both_delivered, what="the found and the retraction to arrive")
    kinds = sorted(r.headers["x-drehscheibe-event"] for r in hub.requests)
    assert kinds == ["de.drehscheibe.match.found.v1", "de.drehscheibe.match.retracted.v1"]
    # Stopping the service writes the outcomes it still held (see OutcomeRecorder).
    rows = await ledger.fetch("SELECT status FROM deliveries")
    assert [r["status"] for r in rows] == ["delivered", "delivered"]


async def test_each_match_of_a_batch_reaches_exactly_its_own_subscriptions(
    settings_for: Callable[..., NotificationsSettings],
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: Ledger,
) -> None:
    firm = uuid4()
    halle = subscription(None, channel="email", email="hub@halle.example", district_codes=["15088"],
                         min_score=0.5)  # fmt: skip
    chemists = subscription(None, channel="email", email="hub@chem.example",
                            occupations=["chemikant"])  # fmt: skip
    owner = subscription(None, channel="email", email="hr@firm.example", organisation_id=firm,
                         organisation_kind="firm", district_codes=["01001"])  # fmt: skip
    matches = {
        "in Halle, good": match_found(vacancy_district_code="15088", score=0.6),
        "in Halle, weak": match_found(vacancy_district_code="15088", score=0.4),
        "elsewhere, the firm's": match_found(
            vacancy_district_code="09162", vacancy_organisation_id=firm
        ),
        "a chemist's, the person in Halle": match_found(
            profile_district_code="15088", occupation="chemikant", score=0.7
        ),
    }
    async with running(settings_for()) as app:
        for sub in (halle, chemists, owner):
            await send(publisher, topic_prefix, sub)

        await subscriptions_stored(ledger, 3)
        batch = [(CloudEvent.wrap(m, source="matching"), m) for m in matches.values()]
        assert await record_matches(app.state.container.uow, batch, RoutingPolicy()) == 4
    rows = await ledger.fetch("SELECT source_event_id, subscription_id FROM deliveries")
    told = {
        (e.id, r["subscription_id"]) for e, _ in batch for r in rows if r["source_event_id"] == e.id
    }
    ids = [envelope.id for envelope, _ in batch]
    assert told == {
        (ids[0], halle.subscription_id),
        (ids[2], owner.subscription_id),
        (ids[3], halle.subscription_id),
        (ids[3], chemists.subscription_id),
    }
