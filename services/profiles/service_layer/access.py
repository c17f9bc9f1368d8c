"""Organisations and API keys: create, issue, rotate, revoke, authenticate."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID, uuid4

from services.profiles.adapters.organisations import Organisation, OrganisationRepository
from services.profiles.adapters.reference import Reference
from services.profiles.domain.access import Principal
from services.profiles.domain.keys import digest, looks_like_key, new_key
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from services.profiles.service_layer.validation import check_regions
from shared.events import OrganisationKind

K = OrganisationKind
_MAY_DECLARE_REGIONS = {K.FIRM, K.AGENCY, K.ASSOCIATION}


def _check_regions_for(kind: OrganisationKind, region_ids: Sequence[str]) -> None:
    if kind is K.HUB and len(region_ids) != 1:
        raise ValueError("a hub is tied to exactly one region")
    if kind not in _MAY_DECLARE_REGIONS | {K.HUB} and region_ids:
        raise ValueError(f"a {kind} declares no regions")


async def create_organisation(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    *,
    kind: OrganisationKind,
    name: str,
    region_ids: Sequence[str] = (),
) -> Organisation:
    """Create a tenant; a hub names its one region, a firm or agency may name several."""
    _check_regions_for(kind, region_ids)
    check_regions(reference, region_ids)
    org = Organisation(uuid4(), kind, name.strip(), tuple(region_ids))
    await uow.organisations.add(org)
    return org


async def issue_key(uow: ProfilesUnitOfWork, pepper: bytes, org_id: UUID) -> tuple[UUID, str]:
    """A new key for an organisation: its id and the token, which is never stored."""
    if await uow.organisations.get(org_id) is None:
        raise LookupError(f"no organisation {org_id}")
    key, key_id = new_key(pepper), uuid4()
    await uow.organisations.add_key(key_id, org_id, key.digest, key.prefix)
    return key_id, key.token


async def revoke_key(uow: ProfilesUnitOfWork, key_id: UUID) -> UUID:
    """Revoke an active key; return its organisation."""
    owner = await uow.organisations.revoke_key(key_id)
    if owner is None:
        raise LookupError(f"no active key {key_id}")
    return owner


async def rotate_key(uow: ProfilesUnitOfWork, pepper: bytes, key_id: UUID) -> tuple[UUID, str]:
    """Revoke a key and issue its successor in one transaction."""
    owner = await revoke_key(uow, key_id)
    return await issue_key(uow, pepper, owner)


async def authenticate(
    organisations: OrganisationRepository, reference: Reference, pepper: bytes, token: str
) -> Principal | None:
    """The caller a bearer token belongs to, or None for an unknown or revoked key."""
    if not looks_like_key(token):
        return None
    found = await organisations.by_digest(digest(pepper, token))
    if found is None:
        return None
    key_id, org = found
    return Principal(
        organisation_id=org.id,
        kind=org.kind,
        key_id=key_id,
        region_ids=org.region_ids,
        districts=reference.regions.districts_of(org.region_ids),
    )


async def provision(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    pepper: bytes,
    *,
    kind: OrganisationKind,
    name: str,
    region_ids: Sequence[str] = (),
) -> tuple[Organisation, str]:
    """Find or create an organisation and give it one fresh key (earlier keys are revoked)."""
    org = await uow.organisations.find(name, kind)
    if org is None:
        org = await create_organisation(uow, reference, kind=kind, name=name, region_ids=region_ids)
    await uow.organisations.revoke_all(org.id)
    _, token = await issue_key(uow, pepper, org.id)
    return org, token
