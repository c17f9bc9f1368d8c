"""Helpers shared by the notification integration tests."""

from __future__ import annotations

from uuid import UUID, uuid4

import asyncpg
from faststream.kafka import KafkaBroker

from shared.events import CONTENT_TYPE, CloudEvent, MatchFoundV1, ScoreComponent
from shared.topics import MATCHES

SECRET = "integration-test-secret"


def match_event(*, vacancy_id: UUID | None = None, version: int = 1) -> CloudEvent:
    """A match event as the matching service would publish it."""
    payload = MatchFoundV1(
        version=version,
        vacancy_id=vacancy_id or uuid4(),
        profile_id=UUID("6c1f8f38-7d0a-4a7c-9a57-1b1f6f2f0c01"),
        vacancy_version=1,
        profile_version=version,
        score=0.82,
        distance_km=12.5,
        components=[ScoreComponent(name="competence", value=0.9, weight=0.6, reason="4 of 4")],
        gap=[],
    )
    return CloudEvent.wrap(payload, source="matching")


async def publish_match(broker: KafkaBroker, prefix: str, event: CloudEvent) -> None:
    """Publish an event to the prefixed matches topic as the matching service does."""
    await broker.publish(
        event.to_bytes(),
        f"{prefix}{MATCHES}",
        key=event.subject.encode(),
        headers={"content-type": CONTENT_TYPE},
    )


async def deliveries_of(
    conn: asyncpg.Connection[asyncpg.Record], event_id: UUID
) -> list[asyncpg.Record]:
    """The ledger rows of one source event."""
    return await conn.fetch(
        "SELECT *, body::text AS body_text FROM deliveries WHERE source_event_id = $1", event_id
    )
