"""Turn consumed matches and bulletins into ledger rows that the delivery worker sends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import structlog

from services.notifications.adapters.subscriptions import MatchTargetQuery
from services.notifications.domain import routing
from services.notifications.domain.delivery import NewDelivery, Routing, new_delivery
from services.notifications.domain.routing import MatchEvent
from services.notifications.service_layer.unit_of_work import (
    NotificationsUnitOfWork,
    UowFactory,
)
from shared.events import (
    BulletinPublishedV1,
    CloudEvent,
    EventPayload,
    MatchFoundV1,
    MatchRetractedV1,
)

_log = structlog.get_logger("notifications.handlers")


@dataclass(frozen=True, slots=True)
class RoutingPolicy:
    """Settings that routing needs."""

    operator_url: str | None = None
    digest_interval_s: float = 3600.0


async def record_match(
    uow_factory: UowFactory, envelope: CloudEvent, match: MatchEvent, policy: RoutingPolicy
) -> int:
    """Record one delivery per subscription the match goes to; return how many were added."""
    return await record_matches(uow_factory, [(envelope, match)], policy)


async def record_matches(
    uow_factory: UowFactory,
    events: Sequence[tuple[CloudEvent, MatchEvent]],
    policy: RoutingPolicy,
) -> int:
    """Route a batch of match events in one transaction; return how many deliveries were added.

    Events are routed in order; a retraction sees the deliveries routed before it in
    the same batch, so a pair found and retracted together reaches the same receivers.
    """
    async with uow_factory() as uow:
        fresh = await uow.ledger.mark_all_processed([envelope.id for envelope, _ in events])
        erased = await _erased_among(uow, events)
        targets = await _match_targets(uow, events)
        pending: list[NewDelivery] = []
        flushed = 0
        for i, (envelope, match) in enumerate(events):
            if envelope.id not in fresh:
                _log.info("event already routed; replay ignored", event_id=str(envelope.id))
                continue
            fresh.discard(envelope.id)  # the same event twice in one batch: route it once
            if match.profile_id in erased and not isinstance(match, MatchRetractedV1):
                _log.info("match of an erased profile not routed", event_id=str(envelope.id))
                continue
            if isinstance(match, MatchRetractedV1) and pending:
                await uow.ledger.add_all(pending)
                flushed, pending = flushed + len(pending), []
            if isinstance(match, MatchRetractedV1):
                recipients = await uow.subscriptions.retraction_targets(
                    pair_key=routing.pair_of(match), owners=routing.owners(match)
                )
            else:
                recipients = targets[i]
            pending += _match_deliveries(envelope, match, recipients)
            if policy.operator_url is not None and isinstance(match, MatchFoundV1):
                pending.append(_operator_delivery(envelope, match, policy.operator_url))
        return await _add(uow, pending, already_added=flushed)


async def _erased_among(
    uow: NotificationsUnitOfWork, events: Sequence[tuple[CloudEvent, MatchEvent]]
) -> set[UUID]:
    await uow.erased.lock_for_routing()
    return await uow.erased.among(match.profile_id for _, match in events)


def _match_deliveries(
    envelope: CloudEvent, match: MatchEvent, recipients: list[routing.Recipient]
) -> list[NewDelivery]:
    base = Routing(pair_key=routing.pair_of(match))
    return routing.deliveries_for(envelope, match.model_dump(mode="json"), recipients, base)


async def _match_targets(
    uow: NotificationsUnitOfWork, events: Sequence[tuple[CloudEvent, MatchEvent]]
) -> dict[int, list[routing.Recipient]]:
    """The recipients of every match found or updated in the batch, by position."""
    positions, queries = [], []
    for i, (_, match) in enumerate(events):
        if isinstance(match, MatchRetractedV1):
            continue  # its recipients depend on deliveries routed earlier in the batch
        positions.append(i)
        queries.append(
            MatchTargetQuery(
                kind=routing.match_kind(match).value, occupation=match.occupation,
                score=match.score, owners=routing.owners(match),
                districts=routing.districts(match),
            )
        )  # fmt: skip
    found = await uow.subscriptions.match_targets(queries)
    return dict(zip(positions, found, strict=True))


def _operator_delivery(envelope: CloudEvent, payload: EventPayload, url: str) -> NewDelivery:
    return new_delivery(
        source_event_id=envelope.id,
        target_url=url,
        event_type=envelope.type,
        occurred_at=envelope.time,
        data=payload.model_dump(mode="json"),
        request_id=envelope.requestid,
    )


async def record_bulletin(
    uow_factory: UowFactory,
    envelope: CloudEvent,
    bulletin: BulletinPublishedV1,
    policy: RoutingPolicy,
) -> int:
    """Record the bulletin's deliveries while it is valid; return how many were added."""
    now = datetime.now(UTC)
    async with uow_factory() as uow:
        if not await uow.ledger.mark_processed(envelope.id):
            _log.info("event already routed; replay ignored")
            return 0
        if routing.bulletin_expired(bulletin, now):
            _log.info("bulletin expired before routing; nobody told")
            await uow.commit()
            return 0
        recipients = await uow.subscriptions.bulletin_targets(bulletin)
        base = Routing(not_before=bulletin.valid_from, expires_at=bulletin.valid_until)
        digest_at = routing.digest_window_end(now, policy.digest_interval_s)
        deliveries = routing.deliveries_for(
            envelope, bulletin.model_dump(mode="json"), recipients, base, digest_at=digest_at
        )
        return await _add(uow, deliveries)


async def _add(
    uow: NotificationsUnitOfWork, deliveries: list[NewDelivery], *, already_added: int = 0
) -> int:
    await uow.ledger.add_all(deliveries)
    count = already_added + len(deliveries)
    if count:
        await uow.ledger.wake_worker()
    await uow.commit()
    _log.info("deliveries recorded", count=count)
    return count
