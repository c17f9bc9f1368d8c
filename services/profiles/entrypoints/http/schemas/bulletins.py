"""Bodies of /v1/bulletins."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from services.profiles.domain.bulletin import Bulletin, BulletinContent
from services.profiles.entrypoints.http.schemas.common import CHEMIKANT, Body, examples
from shared.events import BulletinCategory, OrganisationKind
from shared.events.common import OccupationId

BULLETIN_EXAMPLE: dict[str, Any] = {
    "title": "Förderprogramm Weiterbildung Chemie 2026",
    "body": "Ab März fördert das Land berufsbegleitende Meisterkurse mit bis zu 75 %.",
    "category": "funding",
    "target_regions": ["halle-saalekreis"],
    "target_occupations": [CHEMIKANT],
    "target_organisation_kinds": ["firm", "hub"],
    "valid_from": "2026-02-01T00:00:00+01:00",
    "valid_until": "2026-06-30T23:59:59+02:00",
}


class BulletinIn(Body):
    """A bulletin; empty targets address everyone."""

    model_config = examples(BULLETIN_EXAMPLE)

    title: str = Field(min_length=1, max_length=300, description="Headline.")
    body: str = Field(min_length=1, max_length=20_000, description="Text (plain or Markdown).")
    category: BulletinCategory = Field(BulletinCategory.NEWS, description="What it is about.")
    target_regions: list[str] = Field(default_factory=list, max_length=50)
    target_occupations: list[OccupationId] = Field(default_factory=list, max_length=50)
    target_organisation_kinds: list[OrganisationKind] = Field(default_factory=list)
    valid_from: AwareDatetime | None = Field(None, description="Not shown before.")
    valid_until: AwareDatetime | None = Field(None, description="Not shown after.")

    @model_validator(mode="after")
    def _valid_in_order(self) -> Self:
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("valid_until is not after valid_from")
        return self

    def content(self) -> BulletinContent:
        """As the domain holds it (districts are resolved by the use case)."""
        return BulletinContent(
            title=self.title,
            body=self.body,
            category=self.category,
            target_regions=tuple(dict.fromkeys(self.target_regions)),
            target_occupations=tuple(dict.fromkeys(self.target_occupations)),
            target_organisation_kinds=tuple(dict.fromkeys(self.target_organisation_kinds)),
            valid_from=self.valid_from,
            valid_until=self.valid_until,
        )


class BulletinOut(BaseModel):
    """A bulletin as the API shows it."""

    model_config = examples(
        {"id": "2d3e4f50-6172-4839-a4b5-c6d7e8f90a1b", "version": 1,
         "organisation_id": "4b5c6d7e-8f90-4a1b-8c2d-3e4f5061728a",
         "organisation_kind": "association", **BULLETIN_EXAMPLE,
         "target_district_codes": ["15002", "15088"]}
    )  # fmt: skip

    id: UUID
    version: int
    organisation_id: UUID
    organisation_kind: OrganisationKind
    title: str
    body: str
    category: BulletinCategory
    target_regions: list[str]
    target_district_codes: list[str]
    target_occupations: list[str]
    target_organisation_kinds: list[OrganisationKind]
    valid_from: datetime | None = None
    valid_until: datetime | None = None

    @classmethod
    def of(cls, bulletin: Bulletin) -> BulletinOut:
        """The representation of a bulletin."""
        b = bulletin
        return cls(
            id=b.id, version=b.version, organisation_id=b.organisation_id,
            organisation_kind=b.organisation_kind, **b.content.state(),
        )  # fmt: skip


class BulletinList(BaseModel):
    """One page of bulletins."""

    items: list[BulletinOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
