"""Events of the vacancy aggregate (topic hub.vacancies.v1, key vacancy id)."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.common import OccupationId, Postcode, RadiusKm, RequiredCompetence
from shared.events.envelope import EventPayload


class VacancyOpenedV1(EventPayload):
    """A firm or agency opened a vacancy."""

    event_type: ClassVar[str] = "de.drehscheibe.vacancy.opened.v1"

    vacancy_id: UUID = Field(description="Id of the vacancy.")
    organisation_id: UUID | None = Field(None, description="The posting organisation.")
    occupation: OccupationId
    competences: list[RequiredCompetence] = Field(
        description="Required competences with minimum level and importance."
    )
    postcode: Postcode
    radius_km: RadiusKm

    def subject(self) -> str:
        """The vacancy id."""
        return str(self.vacancy_id)
