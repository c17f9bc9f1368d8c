"""Use cases: post a vacancy, publish a profile."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import uuid4

from services.profiles.domain.errors import UnknownReferenceError
from services.profiles.domain.model import Profile, Vacancy
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.events import HeldCompetence, RequiredCompetence
from shared.reference.geo import PostcodeDirectory
from shared.topics import PROFILES, VACANCIES

UowFactory = Callable[[], ProfilesUnitOfWork]


def _check_postcode(postcodes: PostcodeDirectory, postcode: str) -> None:
    if postcode not in postcodes:
        raise UnknownReferenceError("postcode", postcode, "postal code")


async def open_vacancy(
    uow_factory: UowFactory,
    postcodes: PostcodeDirectory,
    *,
    occupation: str,
    competences: Sequence[RequiredCompetence],
    postcode: str,
    radius_km: int,
) -> Vacancy:
    """Record a new vacancy and its VacancyOpened event atomically."""
    _check_postcode(postcodes, postcode)
    vacancy = Vacancy(
        id=uuid4(),
        version=1,
        occupation=occupation,
        competences=tuple(competences),
        postcode=postcode,
        radius_km=radius_km,
    )
    async with uow_factory() as uow:
        await uow.vacancies.add(vacancy)
        uow.emit(VACANCIES, str(vacancy.id), vacancy.opened())
        await uow.commit()
    return vacancy


async def publish_profile(
    uow_factory: UowFactory,
    postcodes: PostcodeDirectory,
    *,
    occupations: Sequence[str],
    competences: Sequence[HeldCompetence],
    postcode: str,
    radius_km: int,
) -> Profile:
    """Record a new qualification profile and its ProfilePublished event atomically."""
    _check_postcode(postcodes, postcode)
    profile = Profile(
        id=uuid4(),
        version=1,
        occupations=tuple(occupations),
        competences=tuple(competences),
        postcode=postcode,
        radius_km=radius_km,
    )
    async with uow_factory() as uow:
        await uow.profiles.add(profile)
        uow.emit(PROFILES, str(profile.id), profile.published())
        await uow.commit()
    return profile
