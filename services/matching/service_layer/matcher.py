"""Use cases: a vacancy or profile arrives; score what it touches; emit new matches."""

from __future__ import annotations

from collections.abc import Callable

import structlog

from services.matching.domain.model import ProfileSide, VacancySide
from services.matching.domain.scoring import Weights, score_pair
from services.matching.service_layer.unit_of_work import MatchingUnitOfWork
from shared.events import (
    InvalidEventError,
    MatchFoundV1,
    ProfilePublishedV1,
    VacancyOpenedV1,
    match_key,
)
from shared.reference.geo import PostcodeDirectory, haversine_km
from shared.topics import MATCHES

UowFactory = Callable[[], MatchingUnitOfWork]
log = structlog.get_logger("matcher")


def _locate(postcodes: PostcodeDirectory, postcode: str) -> tuple[float, float]:
    place = postcodes.lookup(postcode)
    if place is None:
        raise InvalidEventError(f"postcode: unknown postal code {postcode!r}")
    return place.lat, place.lon


def vacancy_side(event: VacancyOpenedV1, postcodes: PostcodeDirectory) -> VacancySide:
    """The matcher's view of a vacancy event."""
    lat, lon = _locate(postcodes, event.postcode)
    return VacancySide(
        id=event.vacancy_id,
        version=event.version,
        competences=tuple(event.competences),
        lat=lat,
        lon=lon,
        radius_km=event.radius_km,
    )


def profile_side(event: ProfilePublishedV1, postcodes: PostcodeDirectory) -> ProfileSide:
    """The matcher's view of a profile event."""
    lat, lon = _locate(postcodes, event.postcode)
    return ProfileSide(
        id=event.profile_id,
        version=event.version,
        competences=tuple(event.competences),
        lat=lat,
        lon=lon,
        radius_km=event.radius_km,
    )


async def _match(
    uow: MatchingUnitOfWork, vacancy: VacancySide, profile: ProfileSide, weights: Weights
) -> bool:
    distance = haversine_km(vacancy.lat, vacancy.lon, profile.lat, profile.lon)
    scored = score_pair(
        required=vacancy.competences,
        held=profile.competences,
        distance_km=distance,
        vacancy_radius_km=vacancy.radius_km,
        profile_radius_km=profile.radius_km,
        weights=weights,
    )
    if scored is None:
        return False
    version = await uow.state.record_match(vacancy, profile, scored.score)
    if version is None:
        return False
    uow.emit(
        MATCHES,
        match_key(vacancy.id, profile.id),
        MatchFoundV1(
            vacancy_id=vacancy.id,
            profile_id=profile.id,
            version=version,
            vacancy_version=vacancy.version,
            profile_version=profile.version,
            score=scored.score,
            distance_km=round(distance, 2),
            components=list(scored.components),
            gap=list(scored.gap),
        ),
    )
    return True


async def on_vacancy(
    uow_factory: UowFactory, postcodes: PostcodeDirectory, event: VacancyOpenedV1, weights: Weights
) -> int:
    """Store the vacancy and emit its new matches; return how many were found."""
    vacancy = vacancy_side(event, postcodes)
    async with uow_factory() as uow:
        if not await uow.state.save_vacancy(vacancy):
            log.info("stale or repeated vacancy ignored", version=event.version)
            return 0
        found = [
            await _match(uow, vacancy, p, weights) for p in await uow.state.profiles_near(vacancy)
        ]
        await uow.commit()
    return sum(found)


async def on_profile(
    uow_factory: UowFactory,
    postcodes: PostcodeDirectory,
    event: ProfilePublishedV1,
    weights: Weights,
) -> int:
    """Store the profile and emit its new matches; return how many were found."""
    profile = profile_side(event, postcodes)
    async with uow_factory() as uow:
        if not await uow.state.save_profile(profile):
            log.info("stale or repeated profile ignored", version=event.version)
            return 0
        found = [
            await _match(uow, v, profile, weights) for v in await uow.state.vacancies_near(profile)
        ]
        await uow.commit()
    return sum(found)
