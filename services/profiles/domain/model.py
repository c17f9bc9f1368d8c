"""Postings as the hub records them: vacancies and qualification profiles."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from services.profiles.domain.errors import StateConflictError
from shared.events import (
    ClosingReason,
    HeldCompetence,
    ProfileOrigin,
    ProfilePublishedV1,
    ProfileUpdatedV1,
    ProfileWithdrawnV1,
    RequiredCompetence,
    VacancyClosedV1,
    VacancyOpenedV1,
    VacancyUpdatedV1,
    WorkingTime,
)


class VacancyStatus(StrEnum):
    """Life cycle of a vacancy."""

    OPEN = "open"
    FILLED = "filled"
    CLOSED = "closed"


class ProfileStatus(StrEnum):
    """Life cycle of a profile (erasure removes it altogether)."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class ConsentScope(StrEnum):
    """What the person agreed to."""

    MATCHING = "matching"  # matching, seen by the hubs of the profile's region
    MATCHING_AND_AGENCIES = "matching_and_agencies"  # also the agencies of that region


@dataclass(frozen=True, slots=True)
class Consent:
    """The person's consent, recorded per profile: no consent, no profile."""

    given_at: datetime
    scope: ConsentScope


@dataclass(frozen=True, slots=True)
class VacancyDetails:
    """What the poster says about an open position."""

    occupation: str
    competences: tuple[RequiredCompetence, ...]
    postcode: str
    radius_km: int
    title: str | None = None
    kldb_code: str | None = None
    min_dqr_level: int | None = None
    start_date: date | None = None
    working_time: WorkingTime | None = None
    openings: int | None = None

    def state(self) -> dict[str, Any]:
        """The fields as event payloads carry them."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)} | {
            "competences": list(self.competences)
        }


@dataclass(frozen=True, slots=True)
class Vacancy:
    """An open (or filled, or closed) position."""

    id: UUID
    version: int
    organisation_id: UUID | None
    status: VacancyStatus
    details: VacancyDetails

    def opened(self) -> VacancyOpenedV1:
        """The event that announces this vacancy."""
        return VacancyOpenedV1(
            vacancy_id=self.id,
            version=self.version,
            organisation_id=self.organisation_id,
            **self.details.state(),
        )

    def revised(self, details: VacancyDetails) -> tuple[Vacancy, VacancyUpdatedV1]:
        """The vacancy with new details, and the event saying so."""
        self._require_open()
        new = dataclasses.replace(self, version=self.version + 1, details=details)
        event = VacancyUpdatedV1.model_validate(new.opened().model_dump())
        return new, event

    def closed(self, reason: ClosingReason) -> tuple[Vacancy, VacancyClosedV1]:
        """The vacancy filled or closed, and the event saying so."""
        self._require_open()
        status = VacancyStatus.FILLED if reason is ClosingReason.FILLED else VacancyStatus.CLOSED
        new = dataclasses.replace(self, version=self.version + 1, status=status)
        return new, VacancyClosedV1(vacancy_id=self.id, version=new.version, reason=reason)

    def _require_open(self) -> None:
        if self.status is not VacancyStatus.OPEN:
            raise StateConflictError(f"the vacancy is {self.status}")


@dataclass(frozen=True, slots=True)
class ProfileDetails:
    """Competences, occupations, home and mobility: never names or contact data."""

    occupations: tuple[str, ...]
    competences: tuple[HeldCompetence, ...]
    postcode: str
    radius_km: int
    dqr_level: int | None = None
    available_from: date | None = None
    working_time: WorkingTime | None = None

    def state(self) -> dict[str, Any]:
        """The fields as event payloads carry them."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)} | {
            "occupations": list(self.occupations),
            "competences": list(self.competences),
        }


@dataclass(frozen=True, slots=True)
class Profile:
    """A pseudonymous qualification profile; `reference` is the owner's private label."""

    id: UUID
    version: int
    organisation_id: UUID | None
    status: ProfileStatus
    details: ProfileDetails
    origin: ProfileOrigin
    consent: Consent | None
    staff_release_id: UUID | None = None
    reference: str | None = None

    def published(self) -> ProfilePublishedV1:
        """The event that announces this profile."""
        return ProfilePublishedV1(
            profile_id=self.id,
            version=self.version,
            organisation_id=self.organisation_id,
            origin=self.origin,
            staff_release_id=self.staff_release_id,
            **self.details.state(),
        )

    def revised(
        self, details: ProfileDetails, reference: str | None
    ) -> tuple[Profile, ProfileUpdatedV1]:
        """The profile with new details, and the event saying so."""
        if self.status is not ProfileStatus.ACTIVE:
            raise StateConflictError(f"the profile is {self.status}")
        new = dataclasses.replace(
            self, version=self.version + 1, details=details, reference=reference
        )
        return new, ProfileUpdatedV1.model_validate(new.published().model_dump())

    def withdrawn(self) -> tuple[Profile, ProfileWithdrawnV1]:
        """The profile taken out of matching, and the event saying so."""
        new = dataclasses.replace(self, version=self.version + 1, status=ProfileStatus.WITHDRAWN)
        return new, ProfileWithdrawnV1(profile_id=self.id, version=new.version)
