"""Use cases of the training catalogue: publish, read, list, revise, withdraw."""

from __future__ import annotations

from uuid import UUID, uuid4

from services.profiles.adapters.reference import Reference
from services.profiles.adapters.training_offers import TrainingOfferRepository
from services.profiles.domain.access import Principal, require_found
from services.profiles.domain.errors import UnknownReferenceError, check_version
from services.profiles.domain.permissions import Action, Resource
from services.profiles.domain.queries import ListFilter, Page
from services.profiles.domain.training import OfferDetails, OfferStatus, TrainingOffer
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from services.profiles.service_layer.validation import district_of
from shared.topics import TRAINING_OFFERS

R = Resource.TRAINING_OFFERS


def _offers(uow: ProfilesUnitOfWork) -> TrainingOfferRepository:
    return TrainingOfferRepository(uow.conn)


def check_offer(reference: Reference, details: OfferDetails) -> str | None:
    """Validate the competences taught and the place; return the place's district."""
    for i, taught in enumerate(details.competences):
        if taught.competence_id not in reference.competences:
            field = f"competences[{i}].competence_id"
            raise UnknownReferenceError(field, taught.competence_id, "competence")
    if details.postcode is None:
        return None
    return district_of(reference, details.postcode)


async def publish_offer(
    uow: ProfilesUnitOfWork, reference: Reference, caller: Principal, details: OfferDetails
) -> TrainingOffer:
    """Record a new offer and its TrainingOfferPublished event."""
    caller.reach(R, Action.CREATE)
    district = check_offer(reference, details)
    offer = TrainingOffer(uuid4(), 1, caller.organisation_id, OfferStatus.ACTIVE, details)
    await _offers(uow).add(offer, district)
    uow.emit(TRAINING_OFFERS, str(offer.id), offer.published())
    return offer


async def get_offer(uow: ProfilesUnitOfWork, caller: Principal, offer_id: UUID) -> TrainingOffer:
    """One offer of the catalogue."""
    found = await _offers(uow).get(offer_id, caller, caller.reach(R, Action.READ))
    return require_found(found, "training offer", offer_id)


async def list_offers(
    uow: ProfilesUnitOfWork, caller: Principal, filters: ListFilter, competence: str | None
) -> Page[TrainingOffer]:
    """One page of the catalogue."""
    rows = await _offers(uow).list(caller, caller.reach(R, Action.READ), filters, competence)
    more = len(rows) == filters.limit
    return Page([o for _, o in rows], rows[-1][0] if rows and more else None)


async def _for_change(
    uow: ProfilesUnitOfWork, caller: Principal, offer_id: UUID, if_match: int | None
) -> TrainingOffer:
    caller.reach(R, Action.UPDATE)
    if if_match is None:
        check_version(None, 0)
    found = await _offers(uow).get(offer_id, caller, caller.reach(R, Action.READ), for_update=True)
    offer = require_found(found, "training offer", offer_id)
    caller.check_write(R, Action.UPDATE, offer.organisation_id)
    check_version(if_match, offer.version)
    return offer


async def revise_offer(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    caller: Principal,
    offer_id: UUID,
    if_match: int | None,
    details: OfferDetails,
) -> TrainingOffer:
    """Replace an active offer's details; TrainingOfferPublished carries the new state."""
    offer = await _for_change(uow, caller, offer_id, if_match)
    district = check_offer(reference, details)
    offer = offer.revised(details)
    await _offers(uow).save(offer, district)
    uow.emit(TRAINING_OFFERS, str(offer.id), offer.published())
    return offer


async def withdraw_offer(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    caller: Principal,
    offer_id: UUID,
    if_match: int | None,
) -> TrainingOffer:
    """Take an offer out of the catalogue; matching stops proposing it."""
    offer = await _for_change(uow, caller, offer_id, if_match)
    offer, event = offer.withdrawn()
    place = reference.postcodes.lookup(offer.details.postcode or "")
    await _offers(uow).save(offer, place.district_code if place else None)
    uow.emit(TRAINING_OFFERS, str(offer.id), event)
    return offer
