"""Bulletins: news, funding, courses and events that associations and agencies publish."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.events import BulletinCategory, BulletinPublishedV1, OrganisationKind


@dataclass(frozen=True, slots=True)
class BulletinContent:
    """Text and targets; empty targets mean everyone, `valid_*` bound when it is shown."""

    title: str
    body: str
    category: BulletinCategory = BulletinCategory.NEWS
    target_regions: tuple[str, ...] = ()
    target_district_codes: tuple[str, ...] = ()
    target_occupations: tuple[str, ...] = ()
    target_organisation_kinds: tuple[OrganisationKind, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None

    def state(self) -> dict[str, Any]:
        """The fields as event payloads carry them."""
        lists = ("target_regions", "target_district_codes", "target_occupations")
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)} | {
            name: list(getattr(self, name)) for name in (*lists, "target_organisation_kinds")
        }


@dataclass(frozen=True, slots=True)
class Bulletin:
    """A published bulletin (bulletins are not changed once published)."""

    id: UUID
    version: int
    organisation_id: UUID
    organisation_kind: OrganisationKind
    content: BulletinContent

    def published(self) -> BulletinPublishedV1:
        """The event that publishes the bulletin."""
        return BulletinPublishedV1(
            bulletin_id=self.id,
            version=self.version,
            organisation_id=self.organisation_id,
            organisation_kind=self.organisation_kind,
            **self.content.state(),
        )
