"""Events of the training catalogue (topic hub.training-offers.v1, key offer id).

Matching uses the catalogue to name the offers that would close a competence gap.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.common import DqrLevel, Postcode, TaughtCompetence
from shared.events.envelope import EventPayload


class TrainingOfferPublishedV1(EventPayload):
    """A training provider or association published (or changed) a training offer."""

    event_type: ClassVar[str] = "de.drehscheibe.training-offer.published.v1"

    offer_id: UUID = Field(description="Id of the offer.")
    organisation_id: UUID | None = Field(None, description="The offering organisation.")
    title: str = Field(min_length=1, max_length=300, description="Title of the course.")
    competences: list[TaughtCompetence] = Field(
        min_length=1, description="Competences taught and the level reached."
    )
    duration_hours: int = Field(ge=1, le=10_000, description="Total duration in hours.")
    dqr_level: DqrLevel | None = Field(None, description="DQR level of the qualification.")
    postcode: Postcode | None = Field(None, description="Where it takes place, if on site.")
    online: bool = Field(False, description="Whether it can be attended online.")
    start_dates: list[date] = Field(default_factory=list, description="Upcoming start dates.")
    funding_eligible: bool = Field(
        False, description="Eligible for public funding (e.g. Qualifizierungschancengesetz)."
    )

    def subject(self) -> str:
        """The offer id."""
        return str(self.offer_id)


class TrainingOfferWithdrawnV1(EventPayload):
    """A training offer is no longer available."""

    event_type: ClassVar[str] = "de.drehscheibe.training-offer.withdrawn.v1"

    offer_id: UUID = Field(description="Id of the offer.")

    def subject(self) -> str:
        """The offer id."""
        return str(self.offer_id)
