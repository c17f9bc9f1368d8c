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


class BridgingOffer(BaseModel):
    """A training offer that would close one or more gaps of a match."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    offer_id: UUID = Field(description="The training offer.")
    title: str = Field(description="Its title.")
    closes: list[CompetenceId] = Field(description="The gap competences it teaches far enough.")
    duration_hours: int = Field(ge=1, description="Total duration in hours.")
    dqr_level: int | None = Field(None, ge=1, le=8, description="DQR level.")
    postcode: str | None = Field(None, description="Where, if on site.")
    online: bool = Field(False, description="Whether it can be attended online.")


class _MatchState(EventPayload):
    vacancy_id: UUID = Field(description="The vacancy.")
    profile_id: UUID = Field(description="The profile.")
    vacancy_version: int = Field(ge=1, description="Vacancy version the score was computed from.")
    profile_version: int = Field(ge=1, description="Profile version the score was computed from.")
    score: float = Field(ge=0, le=1, description="Overall fit in [0, 1].")
    distance_km: float = Field(ge=0, description="Distance between the two postal codes.")
    components: list[ScoreComponent] = Field(description="The named parts of the score.")
    gap: list[CompetenceGap] = Field(description="Unmet competence requirements.")
    requires_training: bool = Field(
        False, description="A must-have competence is missing and a training offer teaches it."
    )
    offers: list[BridgingOffer] = Field(
        default_factory=list, description="Training offers that would close the gap."
    )
    occupation: str | None = Field(None, description="The vacancy's occupation.")
    vacancy_organisation_id: UUID | None = Field(None, description="Who posted the vacancy.")
    profile_organisation_id: UUID | None = Field(None, description="Who posted the profile.")
    vacancy_district_code: str | None = Field(None, description="District of the workplace.")
    profile_district_code: str | None = Field(None, description="District of the person's home.")

    def subject(self) -> str:
        """The pair's key."""
        return match_key(self.vacancy_id, self.profile_id)


class MatchFoundV1(_MatchState):
    """A vacancy and a profile fit; the score is explained by its components."""

    event_type: ClassVar[str] = "de.drehscheibe.match.found.v1"


class MatchUpdatedV1(_MatchState):
    """A known pair's score, components, gap or offers changed."""

    event_type: ClassVar[str] = "de.drehscheibe.match.updated.v1"


class MatchRetractedV1(EventPayload):
    """A pair no longer matches (closed vacancy, withdrawn or erased profile, changed fit)."""

    event_type: ClassVar[str] = "de.drehscheibe.match.retracted.v1"

    vacancy_id: UUID = Field(description="The vacancy.")
    profile_id: UUID = Field(description="The profile.")
    reason: str = Field(max_length=300, description="Why the match no longer holds.")
    vacancy_organisation_id: UUID | None = Field(None, description="Who posted the vacancy.")
    profile_organisation_id: UUID | None = Field(None, description="Who posted the profile.")
    vacancy_district_code: str | None = Field(None, description="District of the workplace.")
    profile_district_code: str | None = Field(None, description="District of the person's home.")

    def subject(self) -> str:
        """The pair's key."""
        return match_key(self.vacancy_id, self.profile_id)
