"""Events of bulletins (topic hub.bulletins.v1, key bulletin id): updates that
associations and agencies put out — funding, courses, events, labour-market news."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.common import DistrictCode, OccupationId, OrganisationKind
from shared.events.envelope import EventPayload


class BulletinCategory(StrEnum):
    """What a bulletin is about."""

    FUNDING = "funding"
    TRAINING = "training"
    EVENT = "event"
    NEWS = "news"


class BulletinPublishedV1(EventPayload):
    """An association or agency published an update for hubs and firms."""

    event_type: ClassVar[str] = "de.drehscheibe.bulletin.published.v1"

    bulletin_id: UUID = Field(description="Id of the bulletin.")
    organisation_id: UUID = Field(description="The publishing organisation.")
    organisation_kind: OrganisationKind = Field(description="association or agency.")
    title: str = Field(min_length=1, max_length=300, description="Headline.")
    body: str = Field(min_length=1, max_length=20_000, description="Text (plain or Markdown).")
    category: BulletinCategory = Field(BulletinCategory.NEWS, description="What it is about.")
    target_regions: list[str] = Field(default_factory=list, description="Region ids (empty: all).")
    target_district_codes: list[DistrictCode] = Field(
        default_factory=list, description="Districts of the target regions, resolved."
    )
    target_occupations: list[OccupationId] = Field(
        default_factory=list, description="Occupations concerned (empty: all)."
    )
    target_organisation_kinds: list[OrganisationKind] = Field(
        default_factory=list, description="Who should receive it (empty: all)."
    )
    valid_from: datetime | None = Field(None, description="Not shown before.")
    valid_until: datetime | None = Field(None, description="Not shown after.")

    def subject(self) -> str:
        """The bulletin id."""
        return str(self.bulletin_id)
