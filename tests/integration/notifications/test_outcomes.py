"""Delivery outcomes on hub.notifications.v1: retries, parking, 410 Gone and re-drive."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

import httpx
import pytest
from faststream.kafka import KafkaBroker
from pydantic import SecretStr

from services.notifications.config import NotificationsSettings
from services.notifications.domain.signing import verify
from shared.events import DeliveryOutcomeV1, decode
from shared.topics import NOTIFICATIONS
from tests.integration.notifications.conftest import Running
from tests.integration.notifications.helpers import (
    SUBSCRIBER_SECRET,
    match_found,
    send,
    subscription,
    subscription_status,
)
from tests.integration.notifications.receiver import Receiver, receiving
from tests.kafka_tools import read_all
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.integration

Settings = Callable[..., NotificationsSettings]
ADMIN = "admin-test-token"
FAST = {
    "allow_insecure_localhost": True,
    "webhook_backoff_base_s": 0.05,
    "webhook_backoff_cap_s": 0.1,
    "admin_token": SecretStr(ADMIN),
}


async def _outcomes(stack: StackUrls, prefix: str, delivery_id: str) -> list[DeliveryOutcomeV1]:
    found = []
    for record in await read_all(stack.kafka, f"{prefix}{NOTIFICATIONS}"):
        _, payload = decode(record.value, [DeliveryOutcomeV1])
        assert isinstance(payload, DeliveryOutcomeV1)
        if str(payload.delivery_id) == delivery_id:
            found.append(payload)
    return sorted(found, key=lambda o: o.version)


async def _subscribed(publisher: KafkaBroker, prefix: str, ledger: Any, url: str) -> UUID:
    event = await send(publisher, prefix, subscription(url))
    sid = UUID(event.data["subscription_id"])

    async def active() -> bool:
        return await subscription_status(ledger, sid) == "active"

    await eventually(active, what="the subscription")
    return sid


async def test_500s_then_success_publish_retrying_then_delivered(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: Any,
    stack: StackUrls,
) -> None:
    async with receiving(statuses=[500, 500]) as hub, running(settings_for(**FAST)):
        await _subscribed(publisher, topic_prefix, ledger, hub.url)
        await send(publisher, topic_prefix, match_found())
        await eventually(lambda: _count(hub, 3), what="three attempts")
        delivery_id = hub.delivery_ids()[0]

        async def three() -> list[DeliveryOutcomeV1]:
            found = await _outcomes(stack, topic_prefix, delivery_id)
            return found if len(found) == 3 else []

        outcomes = await eventually(three, what="three outcomes")

    assert set(hub.delivery_ids()) == {delivery_id}
    for request in hub.requests:
        stamp = int(request.headers["x-drehscheibe-timestamp"])
        signature = request.headers["x-drehscheibe-signature"]
        assert verify(
            SUBSCRIBER_SECRET.encode(), stamp, request.body, signature, now=int(time.time())
        )
    assert [(o.status.value, o.attempts, o.version) for o in outcomes] == [
        ("retrying", 1, 1),
        ("retrying", 2, 2),
        ("delivered", 3, 3),
    ]
    assert outcomes[0].last_error == "HTTP 500"
    assert outcomes[0].next_attempt_at is not None
    assert outcomes[0].channel == "webhook"


async def test_410_gone_disables_the_subscription(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: Any,
    stack: StackUrls,
) -> None:
    async with receiving(statuses=[410]) as hub, running(settings_for(**FAST)):
        sid = await _subscribed(publisher, topic_prefix, ledger, hub.url)
        await send(publisher, topic_prefix, match_found())

        async def disabled() -> bool:
            return await subscription_status(ledger, sid) == "disabled"

        await eventually(disabled, what="the subscription to be disabled")
        delivery_id = hub.delivery_ids()[0]
        [outcome] = await eventually(
            lambda: _outcomes(stack, topic_prefix, delivery_id), what="the 410 outcome"
        )
        later = await send(publisher, topic_prefix, match_found())
        await eventually(lambda: _processed(ledger, later.id), what="the later match routed")

    assert outcome.status.value == "parked"
    assert outcome.last_error == "410 Gone: subscription disabled"
    assert outcome.subscription_id == sid
    assert len(hub.requests) == 1


async def test_parked_delivery_is_redriven_through_the_admin_endpoint(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: Any,
    stack: StackUrls,
) -> None:
    settings = settings_for(**FAST, webhook_max_attempts=2)
    async with receiving(statuses=[503, 503]) as hub, running(settings) as app:
        await _subscribed(publisher, topic_prefix, ledger, hub.url)
        await send(publisher, topic_prefix, match_found())
        await eventually(lambda: _count(hub, 2), what="two attempts")
        delivery_id = hub.delivery_ids()[0]

        async def parked() -> bool:
            status = await ledger.fetchval(
                "SELECT status FROM deliveries WHERE delivery_id = $1", UUID(delivery_id)
            )
            return bool(status == "parked")

        await eventually(parked, what="the delivery to be parked")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://n") as client:
            path = f"/v1/deliveries/{delivery_id}/redrive"
            unauthorised = await client.post(path, headers={"Authorization": "Bearer wrong"})
            accepted = await client.post(path, headers={"Authorization": f"Bearer {ADMIN}"})
            again = await client.post(path, headers={"Authorization": f"Bearer {ADMIN}"})
        await eventually(lambda: _count(hub, 3), what="the re-driven attempt")

        async def delivered() -> list[DeliveryOutcomeV1]:
            found = await _outcomes(stack, topic_prefix, delivery_id)
            return found if found and found[-1].status.value == "delivered" else []

        outcomes = await eventually(delivered, what="the delivered outcome")

    assert unauthorised.status_code == 401
    assert unauthorised.headers["content-type"] == "application/problem+json"
    assert accepted.status_code == 202, accepted.text
    assert again.status_code in (202, 409)
    assert set(hub.delivery_ids()) == {delivery_id}
    assert [(o.status.value, o.version) for o in outcomes] == [
        ("retrying", 1),
        ("parked", 2),
        ("delivered", 3),
    ]
    assert json.loads(hub.requests[-1].body)["delivery_id"] == delivery_id


async def test_redrive_is_disabled_without_an_admin_token(
    settings_for: Settings, running: Running
) -> None:
    async with running(settings_for()) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://n") as client:
            response = await client.post(
                "/v1/deliveries/0b9e4b5e-8f5c-4c36-a0f4-7a2f9c1a9d11/redrive",
                headers={"Authorization": "Bearer anything"},
            )
    assert response.status_code == 404
    assert response.json()["detail"] == "re-drive is disabled"


async def _count(receiver: Receiver, n: int) -> bool:
    return len(receiver.requests) >= n


async def _processed(ledger: Any, event_id: UUID) -> bool:
    found = await ledger.fetchval("SELECT 1 FROM processed_events WHERE event_id = $1", event_id)
    return found is not None
