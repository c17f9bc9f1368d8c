"""Apply subscription events: store the state, refuse unsafe targets, end subscriptions."""

from __future__ import annotations

import uuid

import structlog

from services.notifications.adapters.repository import endpoint_for
from services.notifications.adapters.resolver import Resolve, safe_address
from services.notifications.adapters.subscriptions import SubscriptionState
from services.notifications.domain.routing import Recipient
from services.notifications.domain.urlpolicy import UnsafeUrlError, parse_target
from services.notifications.service_layer.unit_of_work import (
    NotificationsUnitOfWork,
    UowFactory,
)
from shared.events import Channel, CloudEvent, SubscriptionCancelledV1

_log = structlog.get_logger("notifications.subscriptions")
# Rejections are published as outcomes with an id derived from the event, so a
# replayed subscription event yields the same id.
_REJECTION_NS = uuid.UUID("5b0f1c2e-8d4a-4f57-9f0e-2b7c9a6e1d30")


async def refusal(
    state: SubscriptionState, *, resolve: Resolve, allow_insecure_localhost: bool
) -> str | None:
    """Why the subscription cannot be served, or None when it can."""
    if state.channel is Channel.EMAIL:
        return None if state.email else "e-mail channel without an address"
    if not state.webhook_url:
        return "webhook channel without a URL"
    if not state.signing_secret:
        return "webhook without a signing secret"
    try:
        target = parse_target(state.webhook_url, allow_insecure_localhost=allow_insecure_localhost)
        await safe_address(target, resolve=resolve, allow_loopback=allow_insecure_localhost)
    except UnsafeUrlError as exc:
        return str(exc)
    return None


async def apply_subscription(
    uow_factory: UowFactory, envelope: CloudEvent, state: SubscriptionState, reason: str | None
) -> bool:
    """Store a subscription's new state (rejected when `reason`); False for a stale event."""
    status = "rejected" if reason else "active"
    async with uow_factory() as uow:
        if not await uow.subscriptions.save(state, status=status, reason=reason):
            _log.info("stale subscription event ignored", version=state.version)
            return False
        if reason is None:
            await _retarget(uow, state)
        else:
            for row in await uow.ledger.park_all_pending(
                state.subscription_id, error=f"subscription rejected: {reason}"
            ):
                uow.emit_outcome(row)
            uow.emit_rejection(
                delivery_id=uuid.uuid5(_REJECTION_NS, str(envelope.id)),
                subscription_id=state.subscription_id,
                event_id=envelope.id,
                event_type=envelope.type,
                channel=state.channel.value,
                reason=reason,
            )
        await uow.commit()
    _log.info("subscription stored", status=status, reason=reason)
    return True


async def _retarget(uow: NotificationsUnitOfWork, state: SubscriptionState) -> None:
    recipient = Recipient(
        state.subscription_id, state.channel.value, state.webhook_url, state.email, state.digest
    )
    target = recipient.target_url
    if target is not None:
        await uow.ledger.retarget_pending(
            state.subscription_id,
            target_url=target,
            endpoint=endpoint_for(recipient.channel, target),
            channel=recipient.channel,
        )


async def cancel_subscription(uow_factory: UowFactory, event: SubscriptionCancelledV1) -> bool:
    """End a subscription and park what it still had pending; False for a stale event."""
    async with uow_factory() as uow:
        ended = await uow.subscriptions.end(
            event.subscription_id, version=event.version, status="cancelled", reason=event.reason
        )
        if ended:
            for row in await uow.ledger.park_all_pending(
                event.subscription_id, error=f"subscription cancelled: {event.reason}"
            ):
                uow.emit_outcome(row)
        await uow.commit()
    _log.info("subscription cancelled", applied=ended)
    return ended
