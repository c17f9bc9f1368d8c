"""Use cases of staff releases: announce (with its people), read, list, revise, withdraw."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from services.profiles.adapters.reference import Reference
from services.profiles.domain.access import Principal, require_found
from services.profiles.domain.errors import check_version
from services.profiles.domain.model import Consent, Profile, ProfileDetails, ProfileStatus
from services.profiles.domain.permissions import Action, Resource
from services.profiles.domain.privacy import refuse_contact_data
from services.profiles.domain.queries import ListFilter, Page
from services.profiles.domain.staff_release import ReleaseStatus, ReleaseTerms, StaffRelease
from services.profiles.service_layer.profiles import erase
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from services.profiles.service_layer.validation import check_profile, district_of
from shared.events import ProfileOrigin
from shared.topics import PROFILES, STAFF_RELEASES

R = Resource.STAFF_RELEASES


@dataclass(frozen=True, slots=True)
class Person:
    """One person of a release: the firm's own reference, the profile and the consent."""

    reference: str
    details: ProfileDetails
    consent: Consent


async def announce(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    caller: Principal,
    terms: ReleaseTerms,
    people: list[Person],
) -> tuple[StaffRelease, list[Profile]]:
    """Record a release and one pseudonymous profile per person, each with its event."""
    caller.reach(R, Action.CREATE)
    refuse_contact_data("reason", terms.reason)
    district = district_of(reference, terms.postcode)
    release_id = uuid4()
    profiles = []
    for i, person in enumerate(people):
        refuse_contact_data(f"people[{i}].reference", person.reference)
        person_district = check_profile(reference, person.details, f"people[{i}].")
        profile = Profile(
            id=uuid4(), version=1, organisation_id=caller.organisation_id,
            status=ProfileStatus.ACTIVE, details=person.details,
            origin=ProfileOrigin.STAFF_RELEASE, consent=person.consent,
            staff_release_id=release_id, reference=person.reference,
        )  # fmt: skip
        profiles.append((profile, person_district))
    release = StaffRelease(
        release_id, 1, caller.organisation_id, ReleaseStatus.ANNOUNCED, terms,
        tuple(p.id for p, _ in profiles),
    )  # fmt: skip
    await uow.staff_releases.add(release, district)
    uow.emit(STAFF_RELEASES, str(release.id), release.announced())
    for profile, person_district in profiles:
        await uow.profiles.add(profile, person_district)
        uow.emit(PROFILES, str(profile.id), profile.published())
    return release, [p for p, _ in profiles]


async def get_release(
    uow: ProfilesUnitOfWork, caller: Principal, release_id: UUID
) -> tuple[StaffRelease, list[Profile] | None]:
    """One staff release the caller may see; its people's profiles for the releasing firm."""
    found = await uow.staff_releases.get(release_id, caller, caller.reach(R, Action.READ))
    release = require_found(found, "staff release", release_id)
    if release.organisation_id != caller.organisation_id:
        return release, None
    return release, await uow.profiles.of_release(release.id)


async def list_releases(
    uow: ProfilesUnitOfWork, caller: Principal, filters: ListFilter
) -> Page[StaffRelease]:
    """One page of the staff releases the caller may see."""
    rows = await uow.staff_releases.list(caller, caller.reach(R, Action.READ), filters)
    more = len(rows) == filters.limit
    return Page([r for _, r in rows], rows[-1][0] if rows and more else None)


async def _for_change(
    uow: ProfilesUnitOfWork, caller: Principal, release_id: UUID, if_match: int | None
) -> StaffRelease:
    caller.reach(R, Action.UPDATE)
    if if_match is None:
        check_version(None, 0)
    found = await uow.staff_releases.get(
        release_id, caller, caller.reach(R, Action.READ), for_update=True
    )
    release = require_found(found, "staff release", release_id)
    caller.check_write(R, Action.UPDATE, release.organisation_id)
    check_version(if_match, release.version)
    return release


async def revise(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    caller: Principal,
    release_id: UUID,
    if_match: int | None,
    terms: ReleaseTerms,
) -> StaffRelease:
    """Replace a release's terms; StaffReleaseUpdated carries the new state."""
    release = await _for_change(uow, caller, release_id, if_match)
    refuse_contact_data("reason", terms.reason)
    district = district_of(reference, terms.postcode)
    release, event = release.revised(terms)
    await uow.staff_releases.save(release, district)
    uow.emit(STAFF_RELEASES, str(release.id), event)
    return release


async def withdraw(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    caller: Principal,
    release_id: UUID,
    if_match: int | None,
    *,
    erase_profiles: bool,
) -> StaffRelease:
    """Withdraw a release; its profiles are withdrawn, or erased when asked to."""
    release = await _for_change(uow, caller, release_id, if_match)
    release, event = release.withdrawn(erased=erase_profiles)
    await uow.staff_releases.save(release, district_of(reference, release.terms.postcode))
    uow.emit(STAFF_RELEASES, str(release.id), event)
    for profile in await uow.profiles.of_release(release.id, for_update=True):
        if erase_profiles:
            await erase(uow, profile, caller.organisation_id)
        elif profile.status is ProfileStatus.ACTIVE:
            withdrawn, gone = profile.withdrawn()
            place = reference.postcodes.lookup(profile.details.postcode)
            await uow.profiles.save(withdrawn, place.district_code if place else None)
            uow.emit(PROFILES, str(profile.id), gone)
    return release
