"""Turning a routed event into deliveries: kinds, pairs, targets, bulletin validity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from services.notifications.domain.delivery import NewDelivery, Routing, new_delivery
from shared.events import (
    BulletinPublishedV1,
    CloudEvent,
    EventKind,
    MatchFoundV1,
    MatchRetractedV1,
    MatchUpdatedV1,
    match_key,
)

MatchEvent = MatchFoundV1 | MatchUpdatedV1 | MatchRetractedV1


@dataclass(frozen=True, slots=True)
class Recipient:
    """A subscription's address for the channel it chose."""

    subscription_id: UUID
    channel: str
    webhook_url: str | None
    email: str | None
    digest: bool

    @property
    def target_url(self) -> str | None:
        """The webhook URL, or the address as a mailto: URL; None when it has none."""
        if self.channel == "email":
            return f"mailto:{self.email}" if self.email else None
        return self.webhook_url


def match_kind(match: MatchEvent) -> EventKind:
    """The subscription event kind of a match event."""
    if isinstance(match, MatchFoundV1):
        return EventKind.MATCH_FOUND
    if isinstance(match, MatchUpdatedV1):
        return EventKind.MATCH_UPDATED
    return EventKind.MATCH_RETRACTED


def pair_of(match: MatchEvent) -> str:
    """The pair a match event is about."""
    return match_key(match.vacancy_id, match.profile_id)


def owners(match: MatchEvent) -> list[UUID]:
    """The organisations that posted the vacancy and the profile."""
    found = [match.vacancy_organisation_id, match.profile_organisation_id]
    return [org for org in found if org is not None]


def districts(match: MatchEvent) -> list[str]:
    """The districts of the workplace and of the person's home."""
    found = [match.vacancy_district_code, match.profile_district_code]
    return [code for code in found if code is not None]


def deliveries_for(
    envelope: CloudEvent,
    data: dict[str, Any],
    recipients: list[Recipient],
    routing: Routing,
    *,
    digest_at: datetime | None = None,
) -> list[NewDelivery]:
    """One delivery per recipient that has an address, all from the same event.

    With `digest_at`, e-mail recipients in digest mode get their delivery held
    until then, to be sent together with the rest of that window.
    """
    found = []
    for recipient in recipients:
        target = recipient.target_url
        if target is None:
            continue
        found.append(
            new_delivery(
                source_event_id=envelope.id,
                target_url=target,
                event_type=envelope.type,
                occurred_at=envelope.time,
                data=data,
                routing=_routing_of(recipient, routing, digest_at),
                request_id=envelope.requestid,
            )
        )
    return found


def _routing_of(recipient: Recipient, base: Routing, digest_at: datetime | None) -> Routing:
    digest = digest_at is not None and recipient.digest and recipient.channel == "email"
    not_before = base.not_before
    if digest and digest_at is not None:
        not_before = max(digest_at, base.not_before or digest_at)
    return Routing(
        subscription_id=recipient.subscription_id,
        channel=recipient.channel,
        pair_key=base.pair_key,
        digest=digest,
        not_before=not_before,
        expires_at=base.expires_at,
    )


def bulletin_expired(bulletin: BulletinPublishedV1, now: datetime) -> bool:
    """True once the bulletin is past its validity: nobody is told any more."""
    return bulletin.valid_until is not None and bulletin.valid_until <= now


def digest_window_end(now: datetime, interval_s: float) -> datetime:
    """The end of the digest window `now` falls in (windows aligned to the Unix epoch)."""
    end = (now.timestamp() // interval_s + 1) * interval_s
    return datetime.fromtimestamp(end, tz=now.tzinfo)
