"""The deliveries read model: project hub.notifications.v1, list a subscription's deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from services.profiles.adapters.deliveries import DeliveryRepository
from services.profiles.adapters.subscriptions import SubscriptionRepository
from services.profiles.domain.access import Principal, require_found
from services.profiles.domain.permissions import Action, Resource
from services.profiles.domain.queries import ListFilter, Page
from services.profiles.domain.read_models import DeliveryView
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.events import DeliveryOutcomeV1, EventPayload

R = Resource.DELIVERIES
ACCEPTED = (DeliveryOutcomeV1,)


async def project(uow: ProfilesUnitOfWork, event: EventPayload) -> bool:
    """Apply one delivery outcome; False when it is not newer than the stored one."""
    assert isinstance(event, DeliveryOutcomeV1), f"not an outcome: {type(event).__name__}"
    return await DeliveryRepository(uow.conn).apply(event)


async def project_all(uow: ProfilesUnitOfWork, events: Sequence[EventPayload]) -> None:
    """Apply delivery outcomes in order, as `project` would one by one."""
    outcomes = [e for e in events if isinstance(e, DeliveryOutcomeV1)]
    assert len(outcomes) == len(events), "not only outcomes"
    await DeliveryRepository(uow.conn).apply_all(outcomes)


async def list_deliveries(
    uow: ProfilesUnitOfWork, caller: Principal, subscription_id: UUID, filters: ListFilter
) -> Page[DeliveryView]:
    """One page of a subscription's deliveries (its owner only), in first-seen order."""
    reach = caller.reach(R, Action.READ)
    found = await SubscriptionRepository(uow.conn).get(subscription_id, caller, reach)
    require_found(found, "subscription", subscription_id)
    views = await DeliveryRepository(uow.conn).of_subscription(subscription_id, filters)
    more = len(views) == filters.limit
    return Page(views, views[-1].seq if views and more else None)
