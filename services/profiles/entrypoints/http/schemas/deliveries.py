"""Bodies of /v1/subscriptions/{id}/deliveries."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from services.profiles.domain.read_models import DeliveryView
from services.profiles.entrypoints.http.schemas.common import examples
from shared.events import DeliveryStatus


class DeliveryOut(BaseModel):
    """The latest outcome of one delivery to the subscription."""

    model_config = examples(
        {"delivery_id": "5e6f7081-92a3-4b4c-9d5e-6f708192a3b4", "status": "retrying",
         "attempts": 2, "last_error": "HTTP 503 from receiver",
         "next_attempt_at": "2026-02-03T10:17:30+00:00",
         "source_event_id": "8192a3b4-c5d6-4e7f-8091-a2b3c4d5e6f7",
         "source_event_type": "de.drehscheibe.match.found.v1", "channel": "webhook",
         "occurred_at": "2026-02-03T10:15:30+00:00"}
    )  # fmt: skip

    delivery_id: UUID
    status: DeliveryStatus = Field(description="delivered, retrying or parked.")
    attempts: int
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    source_event_id: UUID
    source_event_type: str
    channel: str
    occurred_at: datetime = Field(description="When this outcome happened.")

    @classmethod
    def of(cls, view: DeliveryView) -> DeliveryOut:
        """The representation of a delivery."""
        return cls(**view.outcome.model_dump(exclude={"version", "subscription_id"}))


class DeliveryList(BaseModel):
    """One page of deliveries, in the order they were first reported."""

    items: list[DeliveryOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
