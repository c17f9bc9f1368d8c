"""Events of the qualification-profile aggregate (topic hub.profiles.v1, key profile id)."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.common import HeldCompetence, OccupationId, Postcode, RadiusKm
from shared.events.envelope import EventPayload


class ProfilePublishedV1(EventPayload):
    """A pseudonymous qualification profile was published (no names, no contact data)."""

    event_type: ClassVar[str] = "de.drehscheibe.profile.published.v1"

    profile_id: UUID = Field(description="Id of the profile.")
    organisation_id: UUID | None = Field(None, description="The posting organisation.")
    occupations: list[OccupationId] = Field(description="Occupations the person has held.")
    competences: list[HeldCompetence] = Field(description="Competences with level and evidence.")
    postcode: Postcode
    radius_km: RadiusKm

    def subject(self) -> str:
        """The profile id."""
        return str(self.profile_id)
