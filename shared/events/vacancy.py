"""Events of the vacancy aggregate (topic hub.vacancies.v1, key vacancy id).

Every event but the closing one carries the vacancy's full state (event-carried
state transfer), so a consumer never needs an earlier event to act on a later one.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.common import (
    DqrLevel,
    OccupationId,
    Postcode,
    RadiusKm,
    RequiredCompetence,
    WorkingTime,
)
from shared.events.envelope import EventPayload


class _VacancyState(EventPayload):
    vacancy_id: UUID = Field(description="Id of the vacancy.")
    organisation_id: UUID | None = Field(None, description="The posting organisation.")
    occupation: OccupationId
    competences: list[RequiredCompetence] = Field(
        description="Required competences with minimum level and importance."
    )
    postcode: Postcode
    radius_km: RadiusKm
    title: str | None = Field(None, max_length=200, description="Job title as advertised.")
    kldb_code: str | None = Field(
        None, pattern=r"^[0-9]{5}$", description="KldB 2010 code of the occupation."
    )
    min_dqr_level: DqrLevel | None = Field(None, description="Minimum DQR level required.")
    start_date: date | None = Field(None, description="Earliest start.")
    working_time: WorkingTime | None = Field(None, description="Working time offered.")
    openings: int | None = Field(None, ge=1, le=10_000, description="Number of positions.")

    def subject(self) -> str:
        """The vacancy id."""
        return str(self.vacancy_id)


class VacancyOpenedV1(_VacancyState):
    """A firm or agency opened a vacancy."""

    event_type: ClassVar[str] = "de.drehscheibe.vacancy.opened.v1"


class VacancyUpdatedV1(_VacancyState):
    """An open vacancy changed; the event carries its whole new state."""

    event_type: ClassVar[str] = "de.drehscheibe.vacancy.updated.v1"


class ClosingReason(StrEnum):
    """Why a vacancy stopped being open."""

    FILLED = "filled"
    CLOSED = "closed"


class VacancyClosedV1(EventPayload):
    """A vacancy was filled or closed; its matches are retracted."""

    event_type: ClassVar[str] = "de.drehscheibe.vacancy.closed.v1"

    vacancy_id: UUID = Field(description="Id of the vacancy.")
    reason: ClosingReason = Field(description="filled or closed.")

    def subject(self) -> str:
        """The vacancy id."""
        return str(self.vacancy_id)
