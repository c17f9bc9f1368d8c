"""Events of the qualification-profile aggregate (topic hub.profiles.v1, key profile id).

Profiles are pseudonymous: no names, birth dates or contact data ever appear here.
Erasure (GDPR art. 17) is a ProfileErasedV1 event followed by a tombstone (a record
with the same key and no value) so that compaction removes every earlier record.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.common import (
    DqrLevel,
    HeldCompetence,
    OccupationId,
    Postcode,
    RadiusKm,
    WorkingTime,
)
from shared.events.envelope import EventPayload


class ProfileOrigin(StrEnum):
    """Where a profile comes from."""

    JOB_SEEKER = "job_seeker"
    STAFF_RELEASE = "staff_release"


class _ProfileState(EventPayload):
    profile_id: UUID = Field(description="Id of the profile.")
    organisation_id: UUID | None = Field(None, description="The posting organisation.")
    occupations: list[OccupationId] = Field(description="Occupations the person has held.")
    competences: list[HeldCompetence] = Field(description="Competences with level and evidence.")
    postcode: Postcode
    radius_km: RadiusKm
    dqr_level: DqrLevel | None = Field(None, description="Highest DQR level attained.")
    available_from: date | None = Field(None, description="Earliest start.")
    working_time: WorkingTime | None = Field(None, description="Working time wanted.")
    origin: ProfileOrigin | None = Field(None, description="job_seeker or staff_release.")
    staff_release_id: UUID | None = Field(
        None, description="The staff release the person belongs to, if any."
    )

    def subject(self) -> str:
        """The profile id."""
        return str(self.profile_id)


class ProfilePublishedV1(_ProfileState):
    """A pseudonymous qualification profile was published."""

    event_type: ClassVar[str] = "de.drehscheibe.profile.published.v1"


class ProfileUpdatedV1(_ProfileState):
    """A profile changed; the event carries its whole new state."""

    event_type: ClassVar[str] = "de.drehscheibe.profile.updated.v1"


class ProfileWithdrawnV1(EventPayload):
    """A profile is no longer available for matching (e.g. its staff release was withdrawn)."""

    event_type: ClassVar[str] = "de.drehscheibe.profile.withdrawn.v1"

    profile_id: UUID = Field(description="Id of the profile.")

    def subject(self) -> str:
        """The profile id."""
        return str(self.profile_id)


class ProfileErasedV1(EventPayload):
    """A profile was erased; every service removes what it holds of it. A tombstone follows."""

    event_type: ClassVar[str] = "de.drehscheibe.profile.erased.v1"

    profile_id: UUID = Field(description="Id of the erased profile.")

    def subject(self) -> str:
        """The profile id."""
        return str(self.profile_id)
