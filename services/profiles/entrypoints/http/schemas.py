"""Request and response bodies of the public API (its contract, apart from the events)."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.events import Evidence, Importance
from shared.events.common import CompetenceId, Level, OccupationId, Postcode, RadiusKm


class _Body(BaseModel):
    # Unknown fields are refused: a misspelt field must not be dropped silently.
    model_config = ConfigDict(extra="forbid")


class RequiredCompetenceIn(_Body):
    """A competence the vacancy requires."""

    competence_id: CompetenceId
    min_level: Level
    importance: Importance = Field(Importance.MUST, description="must / should / nice.")


class HeldCompetenceIn(_Body):
    """A competence the person holds."""

    competence_id: CompetenceId
    level: Level
    evidence: Evidence = Field(Evidence.SELF_ASSESSED, description="What the level rests on.")


class VacancyIn(_Body):
    """A new vacancy."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "occupation": "http://data.europa.eu/esco/occupation/chemical-production-operator",
                    "competences": [
                        {"competence_id": "esco:gmp", "min_level": 3, "importance": "must"}
                    ],
                    "postcode": "06237",
                    "radius_km": 40,
                }
            ]
        }
    )

    occupation: OccupationId
    competences: list[RequiredCompetenceIn] = Field(min_length=1, max_length=100)
    postcode: Postcode
    radius_km: RadiusKm


class ProfileIn(_Body):
    """A new pseudonymous qualification profile: no names, birth dates or contact data."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "occupations": [
                        "http://data.europa.eu/esco/occupation/chemical-production-operator"
                    ],
                    "competences": [
                        {"competence_id": "esco:gmp", "level": 3, "evidence": "certified"}
                    ],
                    "postcode": "06258",
                    "radius_km": 30,
                }
            ]
        }
    )

    occupations: list[OccupationId] = Field(min_length=1, max_length=20)
    competences: list[HeldCompetenceIn] = Field(min_length=1, max_length=200)
    postcode: Postcode
    radius_km: RadiusKm


class Created(BaseModel):
    """What a successful POST returns."""

    id: UUID = Field(description="Id of the new resource.")
    version: int = Field(description="Its version; starts at 1.")
