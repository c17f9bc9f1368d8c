"""Helpers shared by the notification integration tests."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import asyncpg
from faststream.kafka import KafkaBroker

from shared.events import (
    CONTENT_TYPE,
    BulletinPublishedV1,
    CloudEvent,
    EventPayload,
    MatchFoundV1,
    ScoreComponent,
    SubscriptionCreatedV1,
)
from shared.topics import BULLETINS, MATCHES, SUBSCRIPTIONS
from tests.waiting import eventually

SECRET = "integration-test-secret"
SUBSCRIBER_SECRET = "subscriber-secret"
AALEN = "08136"  # Ostalbkreis
ULM = "08421"
LEIPZIG = "14713"
WELDER = "http://data.europa.eu/esco/occupation/welder"


def match_event(*, vacancy_id: UUID | None = None, version: int = 1) -> CloudEvent:
    """A match event as the matching service would publish it."""
    return CloudEvent.wrap(match_found(vacancy_id=vacancy_id, version=version), source="matching")


def match_found(*, vacancy_id: UUID | None = None, version: int = 1, **fields: Any) -> MatchFoundV1:
    """A match found, with routing fields overridable."""
    values: dict[str, Any] = {
        "version": version,
        "vacancy_id": vacancy_id or uuid4(),
        "profile_id": UUID("6c1f8f38-7d0a-4a7c-9a57-1b1f6f2f0c01"),
        "vacancy_version": 1,
        "profile_version": version,
        "score": 0.82,
        "distance_km": 12.5,
        "components": [ScoreComponent(name="competence", value=0.9, weight=0.6, reason="4 of 4")],
        "gap": [],
        **fields,
    }
    return MatchFoundV1(**values)


def subscription(url: str | None, **fields: Any) -> SubscriptionCreatedV1:
    """A hub's webhook subscription to every kind of event, everywhere, unless overridden."""
    values: dict[str, Any] = {
        "version": 1,
        "subscription_id": uuid4(),
        "organisation_id": uuid4(),
        "organisation_kind": "hub",
        "channel": "webhook",
        "webhook_url": url,
        "signing_secret": SUBSCRIBER_SECRET,
        "event_kinds": ["match.found", "match.updated", "match.retracted", "bulletin"],
        **fields,
    }
    return SubscriptionCreatedV1(**values)


def bulletin(**fields: Any) -> BulletinPublishedV1:
    """A bulletin for everybody unless targeted."""
    values: dict[str, Any] = {
        "version": 1,
        "bulletin_id": uuid4(),
        "organisation_id": uuid4(),
        "organisation_kind": "association",
        "title": "Förderprogramm Weiterbildung",
        "body": "Neue Mittel für Qualifizierung.",
        **fields,
    }
    return BulletinPublishedV1(**values)


async def publish(broker: KafkaBroker, prefix: str, topic: str, event: CloudEvent) -> None:
    """Publish an event to a prefixed topic, keyed by its subject."""
    await broker.publish(
        event.to_bytes(),
        f"{prefix}{topic}",
        key=event.subject.encode(),
        headers={"content-type": CONTENT_TYPE},
    )


async def publish_match(broker: KafkaBroker, prefix: str, event: CloudEvent) -> None:
    """Publish an event to the prefixed matches topic as the matching service does."""
    await publish(broker, prefix, MATCHES, event)


async def send(broker: KafkaBroker, prefix: str, payload: EventPayload) -> CloudEvent:
    """Wrap a payload and publish it to its topic; return the envelope."""
    topic = {
        "subscription": SUBSCRIPTIONS,
        "bulletin": BULLETINS,
        "match": MATCHES,
    }[payload.event_type.split(".")[2]]
    event = CloudEvent.wrap(payload, source="profiles" if topic != MATCHES else "matching")
    await publish(broker, prefix, topic, event)
    return event


async def deliveries_of(
    conn: asyncpg.Connection[asyncpg.Record], event_id: UUID
) -> list[asyncpg.Record]:
    """The ledger rows of one source event."""
    return await conn.fetch(
        "SELECT *, body::text AS body_text FROM deliveries WHERE source_event_id = $1", event_id
    )


async def subscription_status(
    conn: asyncpg.Connection[asyncpg.Record], subscription_id: UUID
) -> str | None:
    """The stored status of a subscription, None before it arrived."""
    status: str | None = await conn.fetchval(
        "SELECT status FROM subscriptions WHERE subscription_id = $1", subscription_id
    )
    return status


async def subscriptions_stored(conn: asyncpg.Connection[asyncpg.Record], count: int) -> None:
    """Wait until `count` subscriptions are stored.

    Topics are consumed independently: a match read before its subscription is
    routed to nobody, so a test publishing both must wait in between.
    """

    async def stored() -> bool:
        return bool(await conn.fetchval("SELECT count(*) FROM subscriptions") == count)

    await eventually(stored, what=f"{count} subscription(s) to be stored")
