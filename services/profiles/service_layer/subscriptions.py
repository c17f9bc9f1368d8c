"""Use cases of subscriptions: create (secret shown once), read, list, revise, cancel."""

from __future__ import annotations

import dataclasses
from uuid import UUID, uuid4

from services.profiles.adapters.reference import Reference
from services.profiles.adapters.subscriptions import SubscriptionRepository
from services.profiles.domain.access import Principal, require_found
from services.profiles.domain.errors import (
    ForbiddenError,
    UnknownReferenceError,
    check_version,
)
from services.profiles.domain.permissions import Action, Resource
from services.profiles.domain.queries import ListFilter, Page
from services.profiles.domain.subscription import (
    Subscription,
    SubscriptionStatus,
    SubscriptionTerms,
    new_signing_secret,
)
from services.profiles.domain.webhooks import check_webhook_url
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from services.profiles.service_layer.validation import check_regions
from shared.events import Channel, OrganisationKind
from shared.topics import SUBSCRIPTIONS

R = Resource.SUBSCRIPTIONS


def _subscriptions(uow: ProfilesUnitOfWork) -> SubscriptionRepository:
    return SubscriptionRepository(uow.conn)


def resolve_terms(
    reference: Reference, caller: Principal, terms: SubscriptionTerms, *, allow_insecure: bool
) -> SubscriptionTerms:
    """Validate the terms; fill in a hub's own region and the regions' districts."""
    if terms.channel is Channel.WEBHOOK and terms.webhook_url is not None:
        check_webhook_url(terms.webhook_url, allow_insecure_loopback=allow_insecure)
    regions = terms.regions
    if caller.kind is OrganisationKind.HUB:
        # A hub hears of matches only where it may read them: in its own region.
        regions = regions or caller.region_ids
        if not set(regions) <= set(caller.region_ids):
            raise ForbiddenError("a hub subscribes only to its own region")
    check_regions(reference, regions, "regions")
    for i, occupation in enumerate(terms.occupations):
        if occupation not in reference.occupations:
            raise UnknownReferenceError(f"occupations[{i}]", occupation, "occupation")
    districts = tuple(sorted(reference.regions.districts_of(regions)))
    return dataclasses.replace(terms, regions=tuple(regions), district_codes=districts)


async def subscribe(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    caller: Principal,
    terms: SubscriptionTerms,
    *,
    allow_insecure: bool,
) -> Subscription:
    """Record a subscription with a fresh signing secret and its SubscriptionCreated event."""
    caller.reach(R, Action.CREATE)
    terms = resolve_terms(reference, caller, terms, allow_insecure=allow_insecure)
    subscription = Subscription(
        uuid4(), 1, caller.organisation_id, caller.kind, SubscriptionStatus.ACTIVE, terms,
        new_signing_secret(),
    )  # fmt: skip
    await _subscriptions(uow).add(subscription)
    uow.emit(SUBSCRIPTIONS, str(subscription.id), subscription.created())
    return subscription


async def get_subscription(
    uow: ProfilesUnitOfWork, caller: Principal, subscription_id: UUID
) -> Subscription:
    """One subscription the caller may see."""
    found = await _subscriptions(uow).get(subscription_id, caller, caller.reach(R, Action.READ))
    return require_found(found, "subscription", subscription_id)


async def list_subscriptions(
    uow: ProfilesUnitOfWork, caller: Principal, filters: ListFilter
) -> Page[Subscription]:
    """One page of the caller's subscriptions."""
    rows = await _subscriptions(uow).list(caller, caller.reach(R, Action.READ), filters)
    more = len(rows) == filters.limit
    return Page([s for _, s in rows], rows[-1][0] if rows and more else None)


async def _for_change(
    uow: ProfilesUnitOfWork, caller: Principal, subscription_id: UUID, if_match: int | None
) -> Subscription:
    caller.reach(R, Action.UPDATE)
    if if_match is None:
        check_version(None, 0)
    found = await _subscriptions(uow).get(
        subscription_id, caller, caller.reach(R, Action.READ), for_update=True
    )
    subscription = require_found(found, "subscription", subscription_id)
    caller.check_write(R, Action.UPDATE, subscription.organisation_id)
    check_version(if_match, subscription.version)
    return subscription


async def revise_subscription(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    caller: Principal,
    subscription_id: UUID,
    if_match: int | None,
    terms: SubscriptionTerms,
    *,
    allow_insecure: bool,
) -> Subscription:
    """Replace the terms (the secret stays); SubscriptionUpdated carries the whole state."""
    subscription = await _for_change(uow, caller, subscription_id, if_match)
    terms = resolve_terms(reference, caller, terms, allow_insecure=allow_insecure)
    subscription, event = subscription.revised(terms)
    await _subscriptions(uow).save(subscription)
    uow.emit(SUBSCRIPTIONS, str(subscription.id), event)
    return subscription


async def cancel_subscription(
    uow: ProfilesUnitOfWork, caller: Principal, subscription_id: UUID, if_match: int | None
) -> Subscription:
    """End a subscription; the notification service stops delivering to it."""
    subscription = await _for_change(uow, caller, subscription_id, if_match)
    subscription, event = subscription.cancelled()
    await _subscriptions(uow).save(subscription)
    uow.emit(SUBSCRIPTIONS, str(subscription.id), event)
    return subscription
