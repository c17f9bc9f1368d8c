"""Events of the subscription aggregate (topic hub.subscriptions.v1, key subscription id).

The notification service routes by this event-carried state alone. The topic is
readable only by the hub's own services: it carries the signing secret.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.common import DistrictCode, OccupationId, OrganisationKind
from shared.events.envelope import EventPayload


class EventKind(StrEnum):
    """What a subscriber wants to hear about."""

    MATCH_FOUND = "match.found"
    MATCH_UPDATED = "match.updated"
    MATCH_RETRACTED = "match.retracted"
    BULLETIN = "bulletin"


class Channel(StrEnum):
    """How notifications reach the subscriber."""

    WEBHOOK = "webhook"
    EMAIL = "email"


class _SubscriptionState(EventPayload):
    subscription_id: UUID = Field(description="Id of the subscription.")
    organisation_id: UUID = Field(description="The subscribing organisation.")
    organisation_kind: OrganisationKind = Field(description="Its kind (hub, firm, …).")
    channel: Channel = Field(Channel.WEBHOOK, description="webhook or email.")
    webhook_url: str | None = Field(None, max_length=2000, description="Receiver for webhooks.")
    signing_secret: str | None = Field(
        None, description="HMAC key of the webhook signatures (services only)."
    )
    email: str | None = Field(None, max_length=320, description="Address for the email channel.")
    digest: bool = Field(False, description="Batch bulletins into a periodic digest.")
    regions: list[str] = Field(default_factory=list, description="Region ids subscribed to.")
    district_codes: list[DistrictCode] = Field(
        default_factory=list, description="The districts of those regions, resolved."
    )
    occupations: list[OccupationId] = Field(
        default_factory=list, description="Only matches for these occupations (empty: all)."
    )
    min_score: float = Field(0.0, ge=0, le=1, description="Only matches scoring at least this.")
    event_kinds: list[EventKind] = Field(description="Which kinds of event to deliver.")

    def subject(self) -> str:
        """The subscription id."""
        return str(self.subscription_id)


class SubscriptionCreatedV1(_SubscriptionState):
    """An organisation subscribed to notifications."""

    event_type: ClassVar[str] = "de.drehscheibe.subscription.created.v1"


class SubscriptionUpdatedV1(_SubscriptionState):
    """A subscription changed; the event carries its whole new state."""

    event_type: ClassVar[str] = "de.drehscheibe.subscription.updated.v1"


class SubscriptionCancelledV1(EventPayload):
    """A subscription was cancelled (by its owner, or disabled after 410 Gone)."""

    event_type: ClassVar[str] = "de.drehscheibe.subscription.cancelled.v1"

    subscription_id: UUID = Field(description="Id of the subscription.")
    reason: str = Field("cancelled", max_length=200, description="Why it ended.")

    def subject(self) -> str:
        """The subscription id."""
        return str(self.subscription_id)
