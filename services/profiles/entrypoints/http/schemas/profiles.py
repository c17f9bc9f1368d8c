"""Bodies of /v1/profiles: pseudonymous — no names, birth dates or contact data."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from services.profiles.domain.access import Principal
from services.profiles.domain.model import Profile, ProfileDetails, ProfileStatus
from services.profiles.entrypoints.http.schemas.common import (
    CHEMIKANT,
    GMP,
    PLANT,
    Body,
    ConsentIn,
    ConsentOut,
    HeldCompetenceIn,
    examples,
)
from shared.events import HeldCompetence, ProfileOrigin, WorkingTime
from shared.events.common import DqrLevel, OccupationId, Postcode, RadiusKm

PROFILE_DETAILS_EXAMPLE: dict[str, Any] = {
    "occupations": [CHEMIKANT],
    "competences": [
        {"competence_id": GMP, "level": 3, "evidence": "certified"},
        {"competence_id": PLANT, "level": 2, "evidence": "employer_attested"},
    ],
    "dqr_level": 4,
    "postcode": "06258",
    "radius_km": 30,
    "available_from": "2026-02-01",
    "working_time": "full_time",
}
CONSENT_EXAMPLE = {"given_at": "2026-01-10T09:30:00+01:00", "scope": "matching_and_agencies"}
Reference = Field(
    None,
    min_length=1,
    max_length=100,
    description="The poster's own label for the person (never contact data); only it sees it.",
)


class ProfileFields(Body):
    """What a profile says about a person's qualification."""

    occupations: list[OccupationId] = Field(min_length=1, max_length=20)
    competences: list[HeldCompetenceIn] = Field(min_length=1, max_length=200)
    postcode: Postcode
    radius_km: RadiusKm
    dqr_level: DqrLevel | None = None
    available_from: date | None = Field(None, description="Earliest start.")
    working_time: WorkingTime | None = None

    def details(self) -> ProfileDetails:
        """As the domain holds it."""
        return ProfileDetails(
            occupations=tuple(self.occupations),
            competences=tuple(c.value() for c in self.competences),
            postcode=self.postcode,
            radius_km=self.radius_km,
            dqr_level=self.dqr_level,
            available_from=self.available_from,
            working_time=self.working_time,
        )


class ProfileIn(ProfileFields):
    """A job seeker's profile, posted by an agency or a hub with the person's consent."""

    model_config = examples(
        {**PROFILE_DETAILS_EXAMPLE, "reference": "BA-4711", "consent": CONSENT_EXAMPLE}
    )

    consent: ConsentIn
    reference: str | None = Reference


class ProfileUpdateIn(ProfileFields):
    """A profile's new details (consent is not changed; withdrawing it means erasure)."""

    model_config = examples({**PROFILE_DETAILS_EXAMPLE, "reference": "BA-4711"})

    reference: str | None = Reference


class ProfileOut(BaseModel):
    """A profile as the API shows it; `reference` and `consent` only to its owner."""

    model_config = examples(
        {"id": "7a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b", "version": 1, "status": "active",
         "organisation_id": "5d0c6a3e-8f1b-4e2a-9c7d-1a2b3c4d5e6f", "origin": "job_seeker",
         **PROFILE_DETAILS_EXAMPLE, "reference": "BA-4711", "consent": CONSENT_EXAMPLE}
    )  # fmt: skip

    id: UUID
    version: int
    status: ProfileStatus
    organisation_id: UUID | None
    origin: ProfileOrigin
    staff_release_id: UUID | None = None
    occupations: list[str]
    competences: list[HeldCompetence]
    postcode: str
    radius_km: int
    dqr_level: int | None = None
    available_from: date | None = None
    working_time: WorkingTime | None = None
    reference: str | None = None
    consent: ConsentOut | None = None

    @classmethod
    def of(cls, profile: Profile, viewer: Principal) -> ProfileOut:
        """What `viewer` may see of the profile: private fields only for the owner."""
        owner = profile.organisation_id == viewer.organisation_id
        consent = profile.consent
        return cls(
            id=profile.id,
            version=profile.version,
            status=profile.status,
            organisation_id=profile.organisation_id,
            origin=profile.origin,
            staff_release_id=profile.staff_release_id,
            reference=profile.reference if owner else None,
            consent=ConsentOut(given_at=consent.given_at, scope=consent.scope)
            if owner and consent
            else None,
            **profile.details.state(),
        )


class ProfileList(BaseModel):
    """One page of profiles."""

    items: list[ProfileOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
