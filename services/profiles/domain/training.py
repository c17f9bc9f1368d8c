"""Training offers: the catalogue that tells matching which course closes which gap."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from services.profiles.domain.errors import StateConflictError
from shared.events import TaughtCompetence, TrainingOfferPublishedV1, TrainingOfferWithdrawnV1


class OfferStatus(StrEnum):
    """Life cycle of a training offer."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class OfferDetails:
    """What the provider says about a course; `postcode` and/or `online` say where."""

    title: str
    competences: tuple[TaughtCompetence, ...]
    duration_hours: int
    dqr_level: int | None = None
    postcode: str | None = None
    online: bool = False
    start_dates: tuple[date, ...] = ()
    funding_eligible: bool = False

    def state(self) -> dict[str, Any]:
        """The fields as event payloads carry them."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)} | {
            "competences": list(self.competences),
            "start_dates": list(self.start_dates),
        }


@dataclass(frozen=True, slots=True)
class TrainingOffer:
    """A course in the catalogue."""

    id: UUID
    version: int
    organisation_id: UUID
    status: OfferStatus
    details: OfferDetails

    def published(self) -> TrainingOfferPublishedV1:
        """The event that carries the offer's whole state (also after a change)."""
        return TrainingOfferPublishedV1(
            offer_id=self.id,
            version=self.version,
            organisation_id=self.organisation_id,
            **self.details.state(),
        )

    def revised(self, details: OfferDetails) -> TrainingOffer:
        """The offer with new details (published again under the next version)."""
        self._require_active()
        return dataclasses.replace(self, version=self.version + 1, details=details)

    def withdrawn(self) -> tuple[TrainingOffer, TrainingOfferWithdrawnV1]:
        """The offer taken out of the catalogue, and the event saying so."""
        self._require_active()
        new = dataclasses.replace(self, version=self.version + 1, status=OfferStatus.WITHDRAWN)
        return new, TrainingOfferWithdrawnV1(offer_id=self.id, version=new.version)

    def _require_active(self) -> None:
        if self.status is not OfferStatus.ACTIVE:
            raise StateConflictError(f"the training offer is {self.status}")
