"""Bodies of /v1/subscriptions; the signing secret appears in the creation's answer only."""

from __future__ import annotations

from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from services.profiles.domain.subscription import (
    Subscription,
    SubscriptionStatus,
    SubscriptionTerms,
)
from services.profiles.entrypoints.http.schemas.common import CHEMIKANT, Body, examples
from shared.events import Channel, EventKind
from shared.events.common import OccupationId

SUBSCRIPTION_EXAMPLE: dict[str, Any] = {
    "channel": "webhook",
    "webhook_url": "https://drehscheibe-halle.example/hooks/matches",
    "event_kinds": ["match.found", "match.updated", "match.retracted", "bulletin"],
    "regions": ["halle-saalekreis"],
    "occupations": [CHEMIKANT],
    "min_score": 0.5,
    "digest": False,
}
_OUT_EXAMPLE: dict[str, Any] = {
    "id": "6f5e4d3c-2b1a-4098-8765-43210fedcba9", "version": 1, "status": "active",
    "organisation_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", **SUBSCRIPTION_EXAMPLE,
    "district_codes": ["15002", "15088"],
}  # fmt: skip


class SubscriptionIn(Body):
    """Channel, address and filters (POST creates, PUT replaces; the secret stays)."""

    model_config = examples(SUBSCRIPTION_EXAMPLE)

    channel: Channel = Field(Channel.WEBHOOK, description="webhook or email.")
    webhook_url: str | None = Field(
        None, max_length=2000, description="https URL of the receiver (webhook channel)."
    )
    email: str | None = Field(
        None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$",
        description="Address (email channel).",
    )  # fmt: skip
    event_kinds: list[EventKind] = Field(min_length=1, description="What to be told about.")
    regions: list[str] = Field(
        default_factory=list, max_length=50,
        description="Region ids; a hub's default is its own region, others' empty means all.",
    )  # fmt: skip
    occupations: list[OccupationId] = Field(
        default_factory=list, max_length=50, description="Only these occupations (empty: all)."
    )
    min_score: float = Field(0.0, ge=0, le=1, description="Only matches scoring at least this.")
    digest: bool = Field(False, description="Batch e-mails into a periodic digest.")

    @model_validator(mode="after")
    def _address_of_channel(self) -> Self:
        if self.channel is Channel.WEBHOOK and not self.webhook_url:
            raise ValueError("the webhook channel needs a webhook_url")
        if self.channel is Channel.EMAIL and not self.email:
            raise ValueError("the email channel needs an email")
        return self

    def terms(self) -> SubscriptionTerms:
        """As the domain holds it (districts are resolved by the use case)."""
        return SubscriptionTerms(
            channel=self.channel,
            event_kinds=tuple(dict.fromkeys(self.event_kinds)),
            webhook_url=self.webhook_url if self.channel is Channel.WEBHOOK else None,
            email=self.email if self.channel is Channel.EMAIL else None,
            digest=self.digest,
            regions=tuple(dict.fromkeys(self.regions)),
            occupations=tuple(dict.fromkeys(self.occupations)),
            min_score=self.min_score,
        )


class SubscriptionOut(BaseModel):
    """A subscription as its owner sees it (never with the signing secret)."""

    model_config = examples(_OUT_EXAMPLE)

    id: UUID
    version: int
    status: SubscriptionStatus
    organisation_id: UUID
    channel: Channel
    webhook_url: str | None = None
    email: str | None = None
    event_kinds: list[EventKind]
    regions: list[str]
    district_codes: list[str]
    occupations: list[str]
    min_score: float
    digest: bool

    @classmethod
    def of(cls, subscription: Subscription) -> SubscriptionOut:
        """The representation of a subscription."""
        s = subscription
        return cls(
            id=s.id, version=s.version, status=s.status, organisation_id=s.organisation_id,
            **s.terms.state(),
        )  # fmt: skip


class SubscriptionCreatedOut(SubscriptionOut):
    """The answer to a creation: the only time the signing secret is shown."""

    model_config = examples(
        {**_OUT_EXAMPLE, "signing_secret": "whsec_Q2hhbmdlTWVJbkFSZWFsU3Vic2NyaXB0aW9uIQ"}
    )

    signing_secret: str = Field(
        description="HMAC-SHA256 key of the webhook signatures. Shown once: store it now."
    )

    @classmethod
    def created(cls, subscription: Subscription) -> SubscriptionCreatedOut:
        """The creation's answer, with the secret."""
        base = SubscriptionOut.of(subscription).model_dump()
        return cls(**base, signing_secret=subscription.signing_secret)


class CancelIn(Body):
    """Cancelling takes no options; the body may be left out."""

    model_config = examples({})


class SubscriptionList(BaseModel):
    """One page of subscriptions."""

    items: list[SubscriptionOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
