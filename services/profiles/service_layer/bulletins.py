"""Use cases of bulletins: publish, read, list (for the organisations they address)."""

from __future__ import annotations

import dataclasses
from uuid import UUID, uuid4

from services.profiles.adapters.bulletins import BulletinRepository
from services.profiles.adapters.reference import Reference
from services.profiles.domain.access import Principal, require_found
from services.profiles.domain.bulletin import Bulletin, BulletinContent
from services.profiles.domain.errors import UnknownReferenceError
from services.profiles.domain.permissions import Action, Resource
from services.profiles.domain.queries import ListFilter, Page
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from services.profiles.service_layer.validation import check_regions
from shared.topics import BULLETINS

R = Resource.BULLETINS


def _bulletins(uow: ProfilesUnitOfWork) -> BulletinRepository:
    return BulletinRepository(uow.conn)


def resolve_targets(reference: Reference, content: BulletinContent) -> BulletinContent:
    """Validate the targets and resolve the target regions to their districts."""
    check_regions(reference, content.target_regions, "target_regions")
    for i, occupation in enumerate(content.target_occupations):
        if occupation not in reference.occupations:
            raise UnknownReferenceError(f"target_occupations[{i}]", occupation, "occupation")
    districts = reference.regions.districts_of(content.target_regions)
    return dataclasses.replace(content, target_district_codes=tuple(sorted(districts)))


async def publish_bulletin(
    uow: ProfilesUnitOfWork, reference: Reference, caller: Principal, content: BulletinContent
) -> Bulletin:
    """Record a bulletin and its BulletinPublished event."""
    caller.reach(R, Action.CREATE)
    content = resolve_targets(reference, content)
    bulletin = Bulletin(uuid4(), 1, caller.organisation_id, caller.kind, content)
    await _bulletins(uow).add(bulletin)
    uow.emit(BULLETINS, str(bulletin.id), bulletin.published())
    return bulletin


async def get_bulletin(uow: ProfilesUnitOfWork, caller: Principal, bulletin_id: UUID) -> Bulletin:
    """One bulletin the caller published or is addressed by."""
    found = await _bulletins(uow).get(bulletin_id, caller, caller.reach(R, Action.READ))
    return require_found(found, "bulletin", bulletin_id)


async def list_bulletins(
    uow: ProfilesUnitOfWork, caller: Principal, filters: ListFilter, category: str | None
) -> Page[Bulletin]:
    """One page of the bulletins the caller published or is addressed by."""
    rows = await _bulletins(uow).list(caller, caller.reach(R, Action.READ), filters, category)
    more = len(rows) == filters.limit
    return Page([b for _, b in rows], rows[-1][0] if rows and more else None)
