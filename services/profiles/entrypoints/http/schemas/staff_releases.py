"""Bodies of /v1/staff-releases."""

from __future__ import annotations

from datetime import date
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from services.profiles.domain.access import Principal
from services.profiles.domain.model import Profile
from services.profiles.domain.staff_release import ReleaseStatus, ReleaseTerms, StaffRelease
from services.profiles.entrypoints.http.schemas.common import Body, ConsentIn, examples
from services.profiles.entrypoints.http.schemas.profiles import (
    CONSENT_EXAMPLE,
    PROFILE_DETAILS_EXAMPLE,
    ProfileFields,
)
from services.profiles.service_layer.staff_releases import Person
from shared.events.common import Postcode

TERMS_EXAMPLE: dict[str, Any] = {
    "release_date": "2026-06-30",
    "transfer_window_end": "2026-09-30",
    "reason": "Closure of the Leuna site",
    "postcode": "06237",
}


class PersonIn(ProfileFields):
    """One person: the firm's own reference, the qualification profile and the consent."""

    reference: str = Field(
        min_length=1, max_length=100, description="The firm's own label (never contact data)."
    )
    consent: ConsentIn

    def person(self) -> Person:
        """As the use case takes it."""
        return Person(self.reference, self.details(), self.consent.value())


class TermsIn(Body):
    """When, where and why (PUT replaces these)."""

    model_config = examples(TERMS_EXAMPLE)

    release_date: date = Field(description="When the employment ends.")
    transfer_window_end: date | None = Field(None, description="Transfer sought until then.")
    reason: str | None = Field(None, max_length=500, description="Why (never personal data).")
    postcode: Postcode = Field(description="The site; places the release in a region.")

    @model_validator(mode="after")
    def _window_after_release(self) -> Self:
        if self.transfer_window_end and self.transfer_window_end < self.release_date:
            raise ValueError("transfer_window_end is before release_date")
        return self

    def terms(self) -> ReleaseTerms:
        """As the domain holds it."""
        return ReleaseTerms(self.release_date, self.postcode, self.transfer_window_end, self.reason)


class StaffReleaseIn(TermsIn):
    """A staff release with its people, each with consent."""

    model_config = examples(
        {**TERMS_EXAMPLE, "people": [
            {**PROFILE_DETAILS_EXAMPLE, "reference": "P-0042", "consent": CONSENT_EXAMPLE}]}
    )  # fmt: skip

    people: list[PersonIn] = Field(min_length=1, max_length=500)


class WithdrawIn(Body):
    """Withdraw a release; optionally erase its people's profiles as well."""

    model_config = examples({"erase_profiles": False})

    erase_profiles: bool = Field(False, description="Erase the profiles instead of withdrawing.")


class PersonOut(BaseModel):
    """Which profile stands for which of the firm's people (owner only)."""

    profile_id: UUID
    reference: str | None


class StaffReleaseOut(BaseModel):
    """A staff release as the API shows it; `people` only to the releasing firm."""

    id: UUID
    version: int
    status: ReleaseStatus
    organisation_id: UUID
    release_date: date
    transfer_window_end: date | None
    reason: str | None
    postcode: str
    profile_ids: list[UUID]
    people: list[PersonOut] | None = None

    @classmethod
    def of(
        cls, release: StaffRelease, viewer: Principal, profiles: list[Profile] | None = None
    ) -> StaffReleaseOut:
        """What `viewer` may see of the release."""
        owner = release.organisation_id == viewer.organisation_id
        people = None
        if owner and profiles is not None:
            people = [PersonOut(profile_id=p.id, reference=p.reference) for p in profiles]
        t = release.terms
        return cls(
            id=release.id, version=release.version, status=release.status,
            organisation_id=release.organisation_id, release_date=t.release_date,
            transfer_window_end=t.transfer_window_end, reason=t.reason, postcode=t.postcode,
            profile_ids=list(release.profile_ids), people=people,
        )  # fmt: skip


class StaffReleaseList(BaseModel):
    """One page of staff releases."""

    items: list[StaffReleaseOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
