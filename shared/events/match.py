"""Events of the match aggregate (topic hub.matches.v1, key `vacancy_id:profile_id`)."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.events.common import CompetenceId, Level
from shared.events.envelope import EventPayload


class ScoreComponent(BaseModel):
    """One named part of a score and why it has its value."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str = Field(description="Component name, e.g. competence or region.")
    value: float = Field(ge=0, le=1, description="The component's value in [0, 1].")
    weight: float = Field(ge=0, description="Its weight in the total score.")
    reason: str = Field(description="Human-readable explanation.")


class CompetenceGap(BaseModel):
    """A requirement the profile does not meet."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    competence_id: CompetenceId
    required_level: Level
    held_level: int = Field(ge=0, le=5, description="0 when the competence is absent.")


def match_key(vacancy_id: UUID, profile_id: UUID) -> str:
    """The record key of a pair on hub.matches.v1."""
    return f"{vacancy_id}:{profile_id}"


class MatchFoundV1(EventPayload):
    """A vacancy and a profile fit; the score is explained by its components."""

    event_type: ClassVar[str] = "de.drehscheibe.match.found.v1"

    vacancy_id: UUID = Field(description="The vacancy.")
    profile_id: UUID = Field(description="The profile.")
    vacancy_version: int = Field(ge=1, description="Vacancy version the score was computed from.")
    profile_version: int = Field(ge=1, description="Profile version the score was computed from.")
    score: float = Field(ge=0, le=1, description="Overall fit in [0, 1].")
    distance_km: float = Field(ge=0, description="Distance between the two postal codes.")
    components: list[ScoreComponent] = Field(description="The named parts of the score.")
    gap: list[CompetenceGap] = Field(description="Unmet competence requirements.")

    def subject(self) -> str:
        """The pair's key."""
        return match_key(self.vacancy_id, self.profile_id)
