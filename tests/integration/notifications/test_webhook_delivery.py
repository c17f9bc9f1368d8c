"""Match events on the real Kafka become signed webhooks recorded in the real PostgreSQL."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest
from faststream.kafka import KafkaBroker

from services.notifications.config import NotificationsSettings
from services.notifications.domain.signing import verify
from tests.integration.notifications.conftest import Running
from tests.integration.notifications.helpers import (
    SECRET,
    deliveries_of,
    match_event,
    publish_match,
)
from tests.integration.notifications.receiver import Received, receiving
from tests.waiting import eventually

pytestmark = pytest.mark.integration

Settings = Callable[..., NotificationsSettings]


def assert_signed(request: Received) -> None:
    """The request carries a valid, fresh signature over its body."""
    timestamp = int(request.headers["x-drehscheibe-timestamp"])
    signature = request.headers["x-drehscheibe-signature"]
    assert signature.startswith("v1=")
    assert verify(SECRET.encode(), timestamp, request.body, signature, now=int(time.time()))


async def test_one_signed_delivery_per_event_even_when_replayed(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: asyncpg.Connection[asyncpg.Record],
) -> None:
    event = match_event()
    async with receiving() as receiver, running(settings_for(webhook_url=receiver.url)):
        await publish_match(publisher, topic_prefix, event)
        [request] = await eventually(lambda: _requests(receiver.requests), what="a delivery")

        assert request.method == "POST"
        assert request.path == "/hooks/matches"
        assert request.headers["content-type"] == "application/json"
        assert request.headers["x-drehscheibe-event"] == "de.drehscheibe.match.found.v1"
        assert_signed(request)
        body = json.loads(request.body)
        assert body["delivery_id"] == request.headers["x-drehscheibe-delivery"]
        assert body["type"] == event.type
        assert body["data"] == event.data
        assert body["occurred_at"] == event.time.isoformat()

        # The replay and then a newer event for the same pair (same key, same
        # partition, so consumed after the replay): once the newer one arrives, the
        # replay has been handled too.
        await publish_match(publisher, topic_prefix, event)
        newer = match_event(vacancy_id=UUID(event.data["vacancy_id"]), version=2)
        await publish_match(publisher, topic_prefix, newer)
        await eventually(lambda: _requests(receiver.requests, 2), what="the newer event")

        assert [json.loads(r.body)["data"]["version"] for r in receiver.requests] == [1, 2]
        rows = await deliveries_of(ledger, event.id)
        assert len(rows) == 1
        assert str(rows[0]["delivery_id"]) == request.headers["x-drehscheibe-delivery"]
        assert rows[0]["target_url"] == receiver.url
        await eventually(lambda: _status(ledger, event.id, "delivered"), what="delivered row")


async def test_failed_attempts_are_retried_with_the_same_delivery_id(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: asyncpg.Connection[asyncpg.Record],
) -> None:
    event = match_event()
    settings = settings_for(webhook_backoff_base_s=0.05, webhook_backoff_cap_s=0.2)
    async with receiving(statuses=[500, 500]) as receiver:
        settings = settings.model_copy(update={"webhook_url": receiver.url})
        async with running(settings):
            await publish_match(publisher, topic_prefix, event)
            row = await eventually(
                lambda: _status(ledger, event.id, "delivered"), what="delivery after retries"
            )

    assert len(receiver.requests) == 3
    assert {r.headers["x-drehscheibe-delivery"] for r in receiver.requests} == {
        str(row["delivery_id"])
    }
    assert len({r.body for r in receiver.requests}) == 1
    for request in receiver.requests:
        assert_signed(request)
    assert row["attempts"] == 3
    assert row["last_error"] is None
    assert row["delivered_at"] is not None


async def test_a_delivery_that_keeps_failing_is_parked_not_dropped(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: asyncpg.Connection[asyncpg.Record],
) -> None:
    event = match_event()
    async with receiving() as receiver:
        receiver.default_status = 503
        settings = settings_for(
            webhook_url=receiver.url,
            webhook_max_attempts=2,
            webhook_backoff_base_s=0.05,
            webhook_backoff_cap_s=0.1,
        )
        async with running(settings):
            await publish_match(publisher, topic_prefix, event)
            row = await eventually(lambda: _status(ledger, event.id, "parked"), what="parked row")

    assert len(receiver.requests) == 2
    assert row["attempts"] == 2
    assert row["last_error"] == "HTTP 503"
    assert row["delivered_at"] is None


async def test_the_service_is_ready_while_running(settings_for: Settings, running: Running) -> None:
    async with running(settings_for()) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            assert (await client.get("/healthz")).json() == {"status": "ok"}
            ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"kafka": True, "database": True, "redis": True}


async def _requests(requests: list[Received], count: int = 1) -> list[Received]:
    return list(requests) if len(requests) >= count else []


async def _status(
    conn: asyncpg.Connection[asyncpg.Record], event_id: UUID, status: str
) -> dict[str, Any]:
    rows = await deliveries_of(conn, event_id)
    return dict(rows[0]) if rows and rows[0]["status"] == status else {}


async def test_startup_fails_loudly_when_the_topics_are_missing(
    settings_for: Settings, running: Running
) -> None:
    settings = settings_for(kafka_topic_prefix="missing.", kafka_start_timeout_s=2.0)
    with pytest.raises(RuntimeError, match="do the topics exist"):
        async with running(settings):
            pass
