"""A staff release: people a firm must let go, each as a pseudonymous profile."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from services.profiles.domain.errors import StateConflictError
from shared.events import StaffReleaseAnnouncedV1, StaffReleaseUpdatedV1, StaffReleaseWithdrawnV1


class ReleaseStatus(StrEnum):
    """Life cycle of a staff release."""

    ANNOUNCED = "announced"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class ReleaseTerms:
    """When and why; `postcode` is the site, which places the release in a region."""

    release_date: date
    postcode: str
    transfer_window_end: date | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class StaffRelease:
    """The release itself; its people are profiles with origin staff_release."""

    id: UUID
    version: int
    organisation_id: UUID
    status: ReleaseStatus
    terms: ReleaseTerms
    profile_ids: tuple[UUID, ...]

    def announced(self) -> StaffReleaseAnnouncedV1:
        """The event that announces this release."""
        return StaffReleaseAnnouncedV1(
            staff_release_id=self.id,
            version=self.version,
            organisation_id=self.organisation_id,
            release_date=self.terms.release_date,
            transfer_window_end=self.terms.transfer_window_end,
            reason=self.terms.reason,
            profile_ids=list(self.profile_ids),
            postcode=self.terms.postcode,
        )

    def revised(self, terms: ReleaseTerms) -> tuple[StaffRelease, StaffReleaseUpdatedV1]:
        """The release with new terms, and the event saying so."""
        self._require_announced()
        new = dataclasses.replace(self, version=self.version + 1, terms=terms)
        return new, StaffReleaseUpdatedV1.model_validate(new.announced().model_dump())

    def withdrawn(self, *, erased: bool) -> tuple[StaffRelease, StaffReleaseWithdrawnV1]:
        """The release withdrawn (its profiles withdrawn or erased), and the event."""
        self._require_announced()
        new = dataclasses.replace(self, version=self.version + 1, status=ReleaseStatus.WITHDRAWN)
        event = StaffReleaseWithdrawnV1(
            staff_release_id=self.id, version=new.version, erased=erased
        )
        return new, event

    def _require_announced(self) -> None:
        if self.status is not ReleaseStatus.ANNOUNCED:
            raise StateConflictError(f"the staff release is {self.status}")
