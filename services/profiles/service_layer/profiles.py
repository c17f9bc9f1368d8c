"""Use cases of qualification profiles: publish, read, list, revise, erase."""

from __future__ import annotations

from uuid import UUID, uuid4

from services.profiles.adapters.erasure import ErasureRepository
from services.profiles.adapters.reference import Reference
from services.profiles.domain.access import Principal, require_found
from services.profiles.domain.errors import check_version
from services.profiles.domain.model import Consent, Profile, ProfileDetails, ProfileStatus
from services.profiles.domain.permissions import Action, Resource
from services.profiles.domain.privacy import refuse_contact_data
from services.profiles.domain.queries import ListFilter, Page
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from services.profiles.service_layer.validation import check_profile
from shared.events import ProfileErasedV1, ProfileOrigin
from shared.topics import PROFILES

R = Resource.PROFILES


async def publish_profile(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    caller: Principal,
    details: ProfileDetails,
    consent: Consent,
    own_reference: str | None = None,
) -> Profile:
    """Record a job seeker's profile (with consent) and its ProfilePublished event."""
    caller.reach(R, Action.CREATE)
    refuse_contact_data("reference", own_reference)
    district = check_profile(reference, details)
    profile = Profile(
        id=uuid4(),
        version=1,
        organisation_id=caller.organisation_id,
        status=ProfileStatus.ACTIVE,
        details=details,
        origin=ProfileOrigin.JOB_SEEKER,
        consent=consent,
        reference=own_reference,
    )
    await uow.profiles.add(profile, district)
    uow.emit(PROFILES, str(profile.id), profile.published())
    return profile


async def get_profile(uow: ProfilesUnitOfWork, caller: Principal, profile_id: UUID) -> Profile:
    """One profile the caller may see."""
    found = await uow.profiles.get(profile_id, caller, caller.reach(R, Action.READ))
    return require_found(found, "profile", profile_id)


async def list_profiles(
    uow: ProfilesUnitOfWork, caller: Principal, filters: ListFilter
) -> Page[Profile]:
    """One page of the profiles the caller may see."""
    rows = await uow.profiles.list(caller, caller.reach(R, Action.READ), filters)
    more = len(rows) == filters.limit
    return Page([p for _, p in rows], rows[-1][0] if rows and more else None)


async def _for_change(
    uow: ProfilesUnitOfWork, caller: Principal, profile_id: UUID, action: Action
) -> Profile:
    caller.reach(R, action)
    found = await uow.profiles.get(
        profile_id, caller, caller.reach(R, Action.READ), for_update=True
    )
    profile = require_found(found, "profile", profile_id)
    caller.check_write(R, action, profile.organisation_id)
    return profile


async def revise_profile(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    caller: Principal,
    profile_id: UUID,
    if_match: int | None,
    details: ProfileDetails,
    own_reference: str | None,
) -> Profile:
    """Replace an active profile's details; ProfileUpdated carries the new state."""
    caller.reach(R, Action.UPDATE)
    if if_match is None:
        check_version(None, 0)
    profile = await _for_change(uow, caller, profile_id, Action.UPDATE)
    check_version(if_match, profile.version)
    refuse_contact_data("reference", own_reference)
    district = check_profile(reference, details)
    profile, event = profile.revised(details, own_reference)
    await uow.profiles.save(profile, district)
    uow.emit(PROFILES, str(profile.id), event)
    return profile


async def erase(uow: ProfilesUnitOfWork, profile: Profile, requested_by: UUID) -> None:
    """Remove a profile, audit it, emit ProfileErased and a tombstone (GDPR art. 17)."""
    await uow.profiles.erase(profile, requested_by)
    await ErasureRepository(uow.conn).purge(profile.id)
    erased = ProfileErasedV1(profile_id=profile.id, version=profile.version + 1)
    uow.emit(PROFILES, str(profile.id), erased)
    uow.emit_tombstone(PROFILES, str(profile.id))


async def erase_profile(uow: ProfilesUnitOfWork, caller: Principal, profile_id: UUID) -> None:
    """Erase a profile on its owner's (or an administrator's) request."""
    profile = await _for_change(uow, caller, profile_id, Action.ERASE)
    await erase(uow, profile, caller.organisation_id)
