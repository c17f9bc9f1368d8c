"""A delivery: one per (subscription, source event), with a stable delivery id."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from services.notifications.domain.signing import sign

DELIVERY_HEADER = "X-Drehscheibe-Delivery"
EVENT_HEADER = "X-Drehscheibe-Event"
TIMESTAMP_HEADER = "X-Drehscheibe-Timestamp"
SIGNATURE_HEADER = "X-Drehscheibe-Signature"
REQUEST_ID_HEADER = "X-Request-ID"


class DeliveryStatus(StrEnum):
    """Where a delivery stands; `parked` means every attempt failed and a person must look."""

    PENDING = "pending"
    DELIVERED = "delivered"
    PARKED = "parked"


@dataclass(frozen=True, slots=True)
class Routing:
    """Who a delivery is for and how it travels; the defaults are the operator webhook."""

    subscription_id: UUID | None = None
    channel: str = "webhook"
    pair_key: str | None = None
    digest: bool = False
    not_before: datetime | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewDelivery:
    """A delivery about to be recorded in the ledger."""

    delivery_id: UUID
    source_event_id: UUID
    target_url: str
    event_type: str
    body: bytes
    routing: Routing = Routing()
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class DueDelivery:
    """A pending delivery the worker has claimed for its next attempt."""

    delivery_id: UUID
    target_url: str
    event_type: str
    body: bytes
    attempts: int
    subscription_id: UUID | None = None
    source_event_id: UUID | None = None
    channel: str = "webhook"
    endpoint: str = ""
    secret: str | None = None
    attempts_before_redrive: int = 0
    age_s: float = 0.0
    expired: bool = False
    request_id: str | None = None


def build_body(
    *, delivery_id: UUID, event_type: str, occurred_at: datetime, data: dict[str, Any]
) -> bytes:
    """The JSON document a receiver gets; built once so that every attempt sends the same bytes."""
    document = {
        "delivery_id": str(delivery_id),
        "type": event_type,
        "occurred_at": occurred_at.isoformat(),
        "data": data,
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def new_delivery(
    *,
    source_event_id: UUID,
    target_url: str,
    event_type: str,
    occurred_at: datetime,
    data: dict[str, Any],
    delivery_id: UUID | None = None,
    routing: Routing | None = None,
    request_id: str | None = None,
) -> NewDelivery:
    """A delivery of one event to one target, with a fresh delivery id unless one is given."""
    delivery_id = delivery_id or uuid4()
    body = build_body(
        delivery_id=delivery_id, event_type=event_type, occurred_at=occurred_at, data=data
    )
    return NewDelivery(
        delivery_id, source_event_id, target_url, event_type, body, routing or Routing(), request_id
    )


def request_headers(delivery: DueDelivery, *, secret: bytes, timestamp: int) -> dict[str, str]:
    """The headers of one attempt; the timestamp is fresh on each attempt and signed."""
    headers = {
        "Content-Type": "application/json",
        DELIVERY_HEADER: str(delivery.delivery_id),
        EVENT_HEADER: delivery.event_type,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, delivery.body),
    }
    if delivery.request_id is not None:
        headers[REQUEST_ID_HEADER] = delivery.request_id
    return headers
