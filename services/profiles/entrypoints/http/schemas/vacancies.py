"""Bodies of /v1/vacancies."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from services.profiles.domain.model import Vacancy, VacancyDetails, VacancyStatus
from services.profiles.entrypoints.http.schemas.common import (
    CHEMIKANT,
    GMP,
    PLANT,
    Body,
    RequiredCompetenceIn,
    examples,
)
from shared.events import ClosingReason, RequiredCompetence, WorkingTime
from shared.events.common import DqrLevel, OccupationId, Postcode, RadiusKm

VACANCY_EXAMPLE: dict[str, Any] = {
    "occupation": CHEMIKANT,
    "kldb_code": "41312",
    "title": "Chemikant (m/w/d)",
    "competences": [
        {"competence_id": GMP, "min_level": 3, "importance": "must"},
        {"competence_id": PLANT, "min_level": 2, "importance": "should"},
    ],
    "min_dqr_level": 4,
    "postcode": "06237",
    "radius_km": 40,
    "start_date": "2026-03-01",
    "working_time": "full_time",
    "openings": 2,
}


class VacancyIn(Body):
    """A vacancy as its poster describes it (POST creates, PUT replaces)."""

    model_config = examples(VACANCY_EXAMPLE)

    occupation: OccupationId
    competences: list[RequiredCompetenceIn] = Field(min_length=1, max_length=100)
    postcode: Postcode
    radius_km: RadiusKm
    title: str | None = Field(None, max_length=200, description="Job title as advertised.")
    kldb_code: str | None = Field(None, pattern=r"^[0-9]{5}$", description="KldB 2010 code.")
    min_dqr_level: DqrLevel | None = None
    start_date: date | None = Field(None, description="Earliest start.")
    working_time: WorkingTime | None = None
    openings: int | None = Field(None, ge=1, le=10_000, description="Number of positions.")

    def details(self) -> VacancyDetails:
        """As the domain holds it."""
        fields = self.model_dump(exclude={"competences"})
        return VacancyDetails(competences=tuple(c.value() for c in self.competences), **fields)


class CloseIn(Body):
    """Why the vacancy stops being open."""

    model_config = examples({"reason": "filled"})

    reason: ClosingReason = Field(description="filled or closed.")


class VacancyOut(BaseModel):
    """A vacancy as the API shows it."""

    model_config = examples(
        {"id": "0b6f1a52-3c1e-4d5e-9f3a-2b1c0d9e8f7a", "version": 1, "status": "open",
         "organisation_id": "5d0c6a3e-8f1b-4e2a-9c7d-1a2b3c4d5e6f", **VACANCY_EXAMPLE}
    )  # fmt: skip

    id: UUID
    version: int
    status: VacancyStatus
    organisation_id: UUID | None
    occupation: str
    competences: list[RequiredCompetence]
    postcode: str
    radius_km: int
    title: str | None = None
    kldb_code: str | None = None
    min_dqr_level: int | None = None
    start_date: date | None = None
    working_time: WorkingTime | None = None
    openings: int | None = None

    @classmethod
    def of(cls, vacancy: Vacancy) -> VacancyOut:
        """The representation of a vacancy (the same for everyone who may see it)."""
        return cls(
            id=vacancy.id,
            version=vacancy.version,
            status=vacancy.status,
            organisation_id=vacancy.organisation_id,
            **vacancy.details.state(),
        )


class VacancyList(BaseModel):
    """One page of vacancies."""

    items: list[VacancyOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
