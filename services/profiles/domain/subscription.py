"""Subscriptions: who wants to hear about which matches and bulletins, and how."""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from services.profiles.domain.errors import StateConflictError
from shared.events import (
    Channel,
    EventKind,
    OrganisationKind,
    SubscriptionCancelledV1,
    SubscriptionCreatedV1,
    SubscriptionUpdatedV1,
)


class SubscriptionStatus(StrEnum):
    """Life cycle of a subscription."""

    ACTIVE = "active"
    CANCELLED = "cancelled"


def new_signing_secret() -> str:
    """A webhook signing key with 256 random bits."""
    return "whsec_" + secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class SubscriptionTerms:
    """Channel, address and filters; `district_codes` are the regions' districts, resolved."""

    channel: Channel
    event_kinds: tuple[EventKind, ...]
    webhook_url: str | None = None
    email: str | None = None
    digest: bool = False
    regions: tuple[str, ...] = ()
    district_codes: tuple[str, ...] = ()
    occupations: tuple[str, ...] = ()
    min_score: float = 0.0

    def state(self) -> dict[str, Any]:
        """The fields as event payloads carry them."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)} | {
            "event_kinds": list(self.event_kinds),
            "regions": list(self.regions),
            "district_codes": list(self.district_codes),
            "occupations": list(self.occupations),
        }


@dataclass(frozen=True, slots=True)
class Subscription:
    """An organisation's subscription; the signing secret never leaves in a read."""

    id: UUID
    version: int
    organisation_id: UUID
    organisation_kind: OrganisationKind
    status: SubscriptionStatus
    terms: SubscriptionTerms
    signing_secret: str

    def created(self) -> SubscriptionCreatedV1:
        """The event that announces the subscription (with its secret, for the notifier)."""
        return SubscriptionCreatedV1(
            subscription_id=self.id,
            version=self.version,
            organisation_id=self.organisation_id,
            organisation_kind=self.organisation_kind,
            signing_secret=self.signing_secret,
            **self.terms.state(),
        )

    def revised(self, terms: SubscriptionTerms) -> tuple[Subscription, SubscriptionUpdatedV1]:
        """The subscription with new terms, and the event carrying its whole state."""
        self._require_active()
        new = dataclasses.replace(self, version=self.version + 1, terms=terms)
        return new, SubscriptionUpdatedV1.model_validate(new.created().model_dump())

    def cancelled(self) -> tuple[Subscription, SubscriptionCancelledV1]:
        """The subscription ended, and the event saying so."""
        self._require_active()
        new = dataclasses.replace(
            self, version=self.version + 1, status=SubscriptionStatus.CANCELLED
        )
        return new, SubscriptionCancelledV1(subscription_id=self.id, version=new.version)

    def _require_active(self) -> None:
        if self.status is not SubscriptionStatus.ACTIVE:
            raise StateConflictError(f"the subscription is {self.status}")
