"""Events of the staff-release aggregate (topic hub.staff-releases.v1, key staff release id).

A firm announces people it must let go. Each person is a pseudonymous profile on
hub.profiles.v1 (origin staff_release); this aggregate holds the release itself.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.common import Postcode
from shared.events.envelope import EventPayload


class _StaffReleaseState(EventPayload):
    staff_release_id: UUID = Field(description="Id of the staff release.")
    organisation_id: UUID = Field(description="The releasing firm.")
    release_date: date = Field(description="When the employment ends.")
    transfer_window_end: date | None = Field(
        None, description="Until when a transfer to another employer is sought."
    )
    reason: str | None = Field(None, max_length=500, description="Why staff are released.")
    profile_ids: list[UUID] = Field(description="The pseudonymous profiles of the people.")
    postcode: Postcode | None = Field(
        None, description="Postal code of the site; places the release in a region."
    )

    def subject(self) -> str:
        """The staff release id."""
        return str(self.staff_release_id)


class StaffReleaseAnnouncedV1(_StaffReleaseState):
    """A firm announced a staff release."""

    event_type: ClassVar[str] = "de.drehscheibe.staff-release.announced.v1"


class StaffReleaseUpdatedV1(_StaffReleaseState):
    """A staff release changed; the event carries its whole new state."""

    event_type: ClassVar[str] = "de.drehscheibe.staff-release.updated.v1"


class StaffReleaseWithdrawnV1(EventPayload):
    """A staff release was withdrawn; its profiles are withdrawn (or erased) as well."""

    event_type: ClassVar[str] = "de.drehscheibe.staff-release.withdrawn.v1"

    staff_release_id: UUID = Field(description="Id of the staff release.")
    erased: bool = Field(False, description="Whether the people's profiles were erased too.")

    def subject(self) -> str:
        """The staff release id."""
        return str(self.staff_release_id)
