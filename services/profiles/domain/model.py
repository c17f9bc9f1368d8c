"""Postings as the hub records them: the domain objects behind the first events."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from shared.events import HeldCompetence, ProfilePublishedV1, RequiredCompetence, VacancyOpenedV1


@dataclass(frozen=True, slots=True)
class Vacancy:
    """An open position: what it requires and where it is."""

    id: UUID
    version: int
    occupation: str
    competences: tuple[RequiredCompetence, ...]
    postcode: str
    radius_km: int

    def opened(self) -> VacancyOpenedV1:
        """The event that announces this vacancy."""
        return VacancyOpenedV1(
            vacancy_id=self.id,
            version=self.version,
            occupation=self.occupation,
            competences=list(self.competences),
            postcode=self.postcode,
            radius_km=self.radius_km,
        )


@dataclass(frozen=True, slots=True)
class Profile:
    """A pseudonymous qualification profile: competences, occupations, home and mobility."""

    id: UUID
    version: int
    occupations: tuple[str, ...]
    competences: tuple[HeldCompetence, ...]
    postcode: str
    radius_km: int

    def published(self) -> ProfilePublishedV1:
        """The event that announces this profile."""
        return ProfilePublishedV1(
            profile_id=self.id,
            version=self.version,
            occupations=list(self.occupations),
            competences=list(self.competences),
            postcode=self.postcode,
            radius_km=self.radius_km,
        )
