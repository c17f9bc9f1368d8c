"""Input events → the matcher's view, resolving postal codes and checking competence ids."""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable
from typing import Protocol
from uuid import UUID

from services.matching.domain.model import Held, Offer, Profile, Requirement, Vacancy
from shared.events import (
    Importance,
    InvalidEventError,
    ProfilePublishedV1,
    ProfileUpdatedV1,
    TrainingOfferPublishedV1,
    VacancyOpenedV1,
    VacancyUpdatedV1,
)
from shared.reference.geo import Place, PostcodeDirectory


class Catalogue(Protocol):
    """The part of shared.reference.competences the matcher uses."""

    def __contains__(self, competence_id: object) -> bool: ...


# A million profiles repeat a few thousand competence ids and requirements: sharing
# one object per value keeps the in-memory state within bounds.
@functools.cache
def _requirement(competence_id: str, level: int, importance: Importance) -> Requirement:
    return Requirement(sys.intern(competence_id), level, importance)


class Translator:
    """Builds domain objects from events; raises InvalidEventError for what cannot be used."""

    def __init__(self, postcodes: PostcodeDirectory, catalogue: Catalogue | None) -> None:
        self.postcodes, self._catalogue = postcodes, catalogue
        self._organisations: dict[UUID, UUID] = {}

    def _organisation(self, organisation_id: UUID | None) -> UUID | None:
        if organisation_id is None:
            return None
        return self._organisations.setdefault(organisation_id, organisation_id)

    def _place(self, postcode: str) -> Place:
        place = self.postcodes.lookup(postcode)
        if place is None:
            raise InvalidEventError(f"postcode: unknown postal code {postcode!r}")
        return place

    def _check(self, ids: Iterable[str]) -> None:
        if self._catalogue is None:
            return
        unknown = sorted(i for i in ids if i not in self._catalogue)
        if unknown:
            raise InvalidEventError(f"competences: unknown competence id {unknown[0]!r}")

    def vacancy(self, e: VacancyOpenedV1 | VacancyUpdatedV1) -> Vacancy:
        """The matcher's view of a vacancy event."""
        self._check(c.competence_id for c in e.competences)
        place = self._place(e.postcode)
        # One requirement per competence: the strictest wins when an id repeats.
        merged: dict[str, Requirement] = {}
        for c in sorted(e.competences, key=lambda c: (c.min_level, c.importance != "must")):
            merged[c.competence_id] = _requirement(c.competence_id, c.min_level, c.importance)
        return Vacancy(
            id=e.vacancy_id,
            version=e.version,
            requirements=tuple(merged.values()),
            lat=place.lat,
            lon=place.lon,
            radius_km=e.radius_km,
            occupation=sys.intern(e.occupation),
            district_code=place.district_code,
            organisation_id=self._organisation(e.organisation_id),
            min_dqr_level=e.min_dqr_level,
            start_day=e.start_date.toordinal() if e.start_date else None,
            working_time=e.working_time,
        )

    def profile(self, e: ProfilePublishedV1 | ProfileUpdatedV1) -> Profile:
        """The matcher's view of a profile event."""
        self._check(c.competence_id for c in e.competences)
        place = self._place(e.postcode)
        held: dict[str, Held] = {}
        for c in sorted(e.competences, key=lambda c: c.level):
            held[sys.intern(c.competence_id)] = Held(c.level, c.evidence)
        return Profile(
            id=e.profile_id,
            version=e.version,
            competences=held,
            lat=place.lat,
            lon=place.lon,
            radius_km=e.radius_km,
            district_code=place.district_code,
            organisation_id=self._organisation(e.organisation_id),
            dqr_level=e.dqr_level,
            available_day=e.available_from.toordinal() if e.available_from else None,
            working_time=e.working_time,
        )

    def offer(self, e: TrainingOfferPublishedV1) -> Offer:
        """The matcher's view of a training offer."""
        self._check(c.competence_id for c in e.competences)
        place = self._place(e.postcode) if e.postcode else None
        return Offer(
            id=e.offer_id,
            version=e.version,
            title=e.title,
            teaches={c.competence_id: c.level for c in e.competences},
            duration_hours=e.duration_hours,
            dqr_level=e.dqr_level,
            postcode=e.postcode,
            lat=place.lat if place else None,
            lon=place.lon if place else None,
            online=e.online,
        )
