"""Thin handlers for the input topics: decode, then call one service-layer function."""

from __future__ import annotations

from collections.abc import Sequence

from services.notifications.adapters.resolver import system_resolve
from services.notifications.config import NotificationsSettings
from services.notifications.entrypoints.consumers import Consumers
from services.notifications.service_layer import subscriptions
from services.notifications.service_layer.handlers import (
    RoutingPolicy,
    record_bulletin,
    record_match,
    record_matches,
)
from services.notifications.service_layer.unit_of_work import UowFactory
from shared.consuming import DeadLetters, EventConsumer
from shared.events import (
    BulletinPublishedV1,
    CloudEvent,
    EventPayload,
    MatchFoundV1,
    MatchRetractedV1,
    MatchUpdatedV1,
    SubscriptionCancelledV1,
    SubscriptionCreatedV1,
    SubscriptionUpdatedV1,
)

MATCH_EVENTS = (MatchFoundV1, MatchUpdatedV1, MatchRetractedV1)


def consumers(settings: NotificationsSettings, uow: UowFactory, dead: DeadLetters) -> Consumers:
    """The three input consumers, wired to the service layer."""
    routing = RoutingPolicy(
        operator_url=settings.webhook_url, digest_interval_s=settings.digest_interval_s
    )

    async def on_match(envelope: CloudEvent, payload: EventPayload) -> None:
        assert isinstance(payload, MatchFoundV1 | MatchUpdatedV1 | MatchRetractedV1)
        await record_match(uow, envelope, payload, routing)

    async def on_matches(events: Sequence[tuple[CloudEvent, EventPayload]]) -> None:
        # One transaction (and one wake-up of the worker) per consumed batch.
        matches = [(e, p) for e, p in events if isinstance(p, MATCH_EVENTS)]
        assert len(matches) == len(events)
        await record_matches(uow, matches, routing)

    async def on_bulletin(envelope: CloudEvent, payload: EventPayload) -> None:
        assert isinstance(payload, BulletinPublishedV1)
        await record_bulletin(uow, envelope, payload, routing)

    async def on_subscription(envelope: CloudEvent, payload: EventPayload) -> None:
        if isinstance(payload, SubscriptionCancelledV1):
            await subscriptions.cancel_subscription(uow, payload)
            return
        assert isinstance(payload, SubscriptionCreatedV1 | SubscriptionUpdatedV1)
        reason = await subscriptions.refusal(
            payload,
            resolve=system_resolve,
            allow_insecure_localhost=settings.allow_insecure_localhost,
        )
        await subscriptions.apply_subscription(uow, envelope, payload, reason)

    return Consumers(
        matches=EventConsumer(
            accepted=[MatchFoundV1, MatchUpdatedV1, MatchRetractedV1],
            apply=on_match,
            apply_batch=on_matches,
            dead_letters=dead,
        ),
        bulletins=EventConsumer(
            accepted=[BulletinPublishedV1], apply=on_bulletin, dead_letters=dead
        ),
        subscriptions=EventConsumer(
            accepted=[SubscriptionCreatedV1, SubscriptionUpdatedV1, SubscriptionCancelledV1],
            apply=on_subscription,
            dead_letters=dead,
        ),
    )
