"""Bodies of the matches read model: each pair as its last match event described it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from services.profiles.domain.read_models import MatchView
from services.profiles.entrypoints.http.schemas.common import CHEMIKANT, GMP, examples
from shared.events import BridgingOffer, CompetenceGap, ScoreComponent

MATCH_EXAMPLE: dict[str, Any] = {
    "vacancy_id": "0b6f1a52-3c1e-4d5e-9f3a-2b1c0d9e8f7a",
    "profile_id": "7a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b",
    "version": 2,
    "score": 0.83,
    "distance_km": 9.4,
    "components": [
        {"name": "competence", "value": 0.9, "weight": 0.6, "reason": "2 of 2 requirements met"},
        {"name": "region", "value": 0.76, "weight": 0.2, "reason": "9 km, within both radii"},
    ],
    "gap": [{"competence_id": GMP, "required_level": 4, "held_level": 3}],
    "requires_training": False,
    "offers": [
        {"offer_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99", "title": "GMP-Aufbaukurs",
         "closes": [GMP], "duration_hours": 40, "dqr_level": 5, "online": True}
    ],
    "occupation": CHEMIKANT,
    "vacancy_version": 1,
    "profile_version": 3,
    "vacancy_district_code": "15088",
    "profile_district_code": "15088",
    "updated_at": "2026-02-03T10:15:00+00:00",
}  # fmt: skip


class MatchOut(BaseModel):
    """A vacancy/profile pair: score, its explanation, the gap and the offers that close it."""

    model_config = examples(MATCH_EXAMPLE)

    vacancy_id: UUID
    profile_id: UUID
    version: int = Field(description="Version of the pair's match (one per change).")
    score: float = Field(description="Overall fit in [0, 1].")
    distance_km: float
    components: list[ScoreComponent] = Field(description="The named parts of the score.")
    gap: list[CompetenceGap] = Field(description="Unmet competence requirements.")
    requires_training: bool
    offers: list[BridgingOffer] = Field(description="Training offers that would close the gap.")
    occupation: str | None = None
    vacancy_version: int
    profile_version: int
    vacancy_organisation_id: UUID | None = None
    profile_organisation_id: UUID | None = None
    vacancy_district_code: str | None = None
    profile_district_code: str | None = None
    updated_at: datetime = Field(description="When the read model last changed this pair.")

    @classmethod
    def of(cls, view: MatchView) -> MatchOut:
        """The representation of a pair."""
        return cls(**view.state.model_dump(), updated_at=view.updated_at)


class MatchList(BaseModel):
    """One page of matches, best score first."""

    items: list[MatchOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
