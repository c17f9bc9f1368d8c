"""The notification service's unit of work: ledger, subscriptions and outbox in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from services.notifications.adapters.erased import ErasedProfiles
from services.notifications.adapters.repository import DeliveryRepository
from services.notifications.adapters.subscriptions import SubscriptionRepository
from shared.events import DeliveryOutcomeV1, DeliveryStatus
from shared.topics import NOTIFICATIONS
from shared.unit_of_work import UnitOfWork

SCHEMA = "notifications"

UowFactory = Callable[[], "NotificationsUnitOfWork"]

_STATUS = {
    "pending": DeliveryStatus.RETRYING,
    "delivered": DeliveryStatus.DELIVERED,
    "parked": DeliveryStatus.PARKED,
}


class NotificationsUnitOfWork(UnitOfWork):
    """Ledger and subscription changes committed with the outcomes they publish."""

    @property
    def ledger(self) -> DeliveryRepository:
        """The delivery ledger on this transaction."""
        return DeliveryRepository(self.conn)

    @property
    def erased(self) -> ErasedProfiles:
        """The erased profile ids on this transaction."""
        return ErasedProfiles(self.conn)

    @property
    def subscriptions(self) -> SubscriptionRepository:
        """The subscriptions on this transaction."""
        return SubscriptionRepository(self.conn)

    def emit_outcome(self, row: Any) -> DeliveryOutcomeV1:
        """Publish a ledger row's new state (a row returned by a ledger update)."""
        outcome = DeliveryOutcomeV1(
            version=row["attempts"],
            delivery_id=row["delivery_id"],
            subscription_id=row["subscription_id"],
            source_event_id=row["source_event_id"],
            source_event_type=row["event_type"],
            channel=row["channel"],
            status=_STATUS[row["status"]],
            attempts=row["attempts"],
            last_error=(row["last_error"] or None) and row["last_error"][:1000],
            next_attempt_at=row["next_attempt_at"] if row["status"] == "pending" else None,
            occurred_at=datetime.now(UTC),
        )
        self.emit(NOTIFICATIONS, str(outcome.delivery_id), outcome)
        return outcome

    def emit_rejection(
        self,
        *,
        delivery_id: UUID,
        subscription_id: UUID,
        event_id: UUID,
        event_type: str,
        channel: str,
        reason: str,
    ) -> None:
        """Publish that a subscription was refused, so its owner sees why nothing arrives."""
        outcome = DeliveryOutcomeV1(
            version=1,
            delivery_id=delivery_id,
            subscription_id=subscription_id,
            source_event_id=event_id,
            source_event_type=event_type,
            channel=channel,
            status=DeliveryStatus.PARKED,
            attempts=1,
            last_error=f"subscription rejected: {reason}"[:1000],
            occurred_at=datetime.now(UTC),
        )
        self.emit(NOTIFICATIONS, str(delivery_id), outcome)
