"""Publishing other services' events straight to a test's topics, and match bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from aiokafka import AIOKafkaProducer

from shared.events import (
    CONTENT_TYPE,
    CloudEvent,
    DeliveryOutcomeV1,
    DeliveryStatus,
    EventPayload,
    MatchFoundV1,
)
from shared.topics import qualified
from tests.integration.profiles.bodies import GMP

SAALEKREIS = "15088"  # Leuna and Schkopau


async def publish(bootstrap: str, prefix: str, topic: str, *events: EventPayload) -> None:
    """Publish CloudEvents to `topic` under `prefix`, keyed by their subject."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for event in events:
            value = CloudEvent.wrap(event, source="test").to_bytes()
            await producer.send_and_wait(
                qualified(topic, prefix), value, key=event.subject().encode(),
                headers=[("content-type", CONTENT_TYPE.encode())],
            )  # fmt: skip
    finally:
        await producer.stop()


def found(
    vacancy: dict[str, Any], profile: dict[str, Any], version: int = 1, score: float = 0.8,
    **changes: Any,
) -> MatchFoundV1:  # fmt: skip
    """A match between a vacancy and a profile as the API returned them, both in Saalekreis."""
    data: dict[str, Any] = {
        "vacancy_id": vacancy["id"], "profile_id": profile["id"], "version": version,
        "vacancy_version": 1, "profile_version": 1, "score": score, "distance_km": 9.4,
        "components": [{"name": "competence", "value": 0.9, "weight": 0.6, "reason": "fits"}],
        "gap": [{"competence_id": GMP, "required_level": 4, "held_level": 3}],
        "offers": [{"offer_id": str(uuid4()), "title": "GMP-Aufbaukurs", "closes": [GMP],
                    "duration_hours": 40, "online": True}],
        "vacancy_organisation_id": vacancy.get("organisation_id"),
        "profile_organisation_id": profile.get("organisation_id"),
        "vacancy_district_code": SAALEKREIS, "profile_district_code": SAALEKREIS,
    }  # fmt: skip
    return MatchFoundV1.model_validate({**data, **changes})


def outcome(
    subscription_id: UUID | str, delivery_id: UUID, attempts: int, status: DeliveryStatus
) -> DeliveryOutcomeV1:
    """A delivery outcome as the notification service reports it."""
    return DeliveryOutcomeV1(
        delivery_id=delivery_id, version=attempts, subscription_id=UUID(str(subscription_id)),
        source_event_id=uuid4(), source_event_type="de.drehscheibe.match.found.v1",
        status=status, attempts=attempts,
        last_error=None if status is DeliveryStatus.DELIVERED else "HTTP 503",
        occurred_at=datetime.now(UTC),
    )  # fmt: skip
