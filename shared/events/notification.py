"""Delivery outcomes (topic hub.notifications.v1, key delivery id), projected by the API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.envelope import EventPayload


class DeliveryStatus(StrEnum):
    """Where a delivery stands."""

    DELIVERED = "delivered"
    RETRYING = "retrying"
    PARKED = "parked"


class DeliveryOutcomeV1(EventPayload):
    """A delivery attempt ended: delivered, to be retried, or parked after the last attempt."""

    event_type: ClassVar[str] = "de.drehscheibe.notification.delivery-outcome.v1"

    delivery_id: UUID = Field(description="Stable id of the delivery (same on every attempt).")
    subscription_id: UUID | None = Field(None, description="The subscription it was for.")
    source_event_id: UUID = Field(description="The event that caused it.")
    source_event_type: str = Field(description="Type of that event.")
    channel: str = Field("webhook", description="webhook or email.")
    status: DeliveryStatus = Field(description="delivered, retrying or parked.")
    attempts: int = Field(ge=1, description="Attempts made so far.")
    last_error: str | None = Field(None, max_length=1000, description="Why the last one failed.")
    next_attempt_at: datetime | None = Field(None, description="When it is tried again.")
    occurred_at: datetime = Field(description="When this outcome happened.")

    def subject(self) -> str:
        """The delivery id."""
        return str(self.delivery_id)
