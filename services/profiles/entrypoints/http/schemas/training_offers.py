"""Bodies of /v1/training-offers."""

from __future__ import annotations

from datetime import date
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from services.profiles.domain.training import OfferDetails, OfferStatus, TrainingOffer
from services.profiles.entrypoints.http.schemas.common import GMP, PLANT, Body, examples
from shared.events import TaughtCompetence
from shared.events.common import CompetenceId, DqrLevel, Level, Postcode

OFFER_EXAMPLE: dict[str, Any] = {
    "title": "Geprüfte/r Industriemeister/in Chemie (berufsbegleitend)",
    "competences": [{"competence_id": GMP, "level": 4}, {"competence_id": PLANT, "level": 3}],
    "duration_hours": 960,
    "dqr_level": 6,
    "postcode": "06217",
    "online": False,
    "start_dates": ["2026-03-02", "2026-09-07"],
    "funding_eligible": True,
}


class TaughtCompetenceIn(Body):
    """A competence the course teaches, and the level a participant reaches."""

    competence_id: CompetenceId
    level: Level

    def value(self) -> TaughtCompetence:
        """As the domain and the events hold it."""
        return TaughtCompetence(**self.model_dump())


class TrainingOfferIn(Body):
    """A course (POST creates, PUT replaces); on site (`postcode`), `online`, or both."""

    model_config = examples(OFFER_EXAMPLE)

    title: str = Field(min_length=1, max_length=300, description="Title of the course.")
    competences: list[TaughtCompetenceIn] = Field(min_length=1, max_length=100)
    duration_hours: int = Field(ge=1, le=10_000, description="Total duration in hours.")
    dqr_level: DqrLevel | None = None
    postcode: Postcode | None = Field(None, description="Where it takes place, if on site.")
    online: bool = Field(False, description="Whether it can be attended online.")
    start_dates: list[date] = Field(default_factory=list, max_length=100)
    funding_eligible: bool = Field(False, description="Eligible for public funding.")

    @model_validator(mode="after")
    def _somewhere(self) -> Self:
        if self.postcode is None and not self.online:
            raise ValueError("an offer needs a postcode, or online: true")
        return self

    def details(self) -> OfferDetails:
        """As the domain holds it."""
        fields = self.model_dump(exclude={"competences", "start_dates"})
        return OfferDetails(
            competences=tuple(c.value() for c in self.competences),
            start_dates=tuple(sorted(self.start_dates)),
            **fields,
        )


class TrainingOfferOut(BaseModel):
    """A training offer as the API shows it (the same for every reader)."""

    model_config = examples(
        {"id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99", "version": 1, "status": "active",
         "organisation_id": "9e8d7c6b-5a49-4382-9716-05f4e3d2c1b0", **OFFER_EXAMPLE}
    )  # fmt: skip

    id: UUID
    version: int
    status: OfferStatus
    organisation_id: UUID
    title: str
    competences: list[TaughtCompetence]
    duration_hours: int
    dqr_level: int | None = None
    postcode: str | None = None
    online: bool
    start_dates: list[date]
    funding_eligible: bool

    @classmethod
    def of(cls, offer: TrainingOffer) -> TrainingOfferOut:
        """The representation of an offer."""
        return cls(
            id=offer.id,
            version=offer.version,
            status=offer.status,
            organisation_id=offer.organisation_id,
            **offer.details.state(),
        )


class TrainingOfferList(BaseModel):
    """One page of training offers."""

    items: list[TrainingOfferOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class WithdrawOfferIn(Body):
    """Withdrawing takes no options; the body may be left out."""

    model_config = examples({})
