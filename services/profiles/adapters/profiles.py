"""SQL for qualification profiles and the erasure audit trail."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.profiles.adapters.sql import Where, within_reach
from services.profiles.domain.access import Principal
from services.profiles.domain.model import (
    Consent,
    ConsentScope,
    Profile,
    ProfileDetails,
    ProfileStatus,
)
from services.profiles.domain.permissions import Reach
from services.profiles.domain.queries import ListFilter
from shared.db import Connection
from shared.events import ProfileOrigin, ProfilePublishedV1

_INSERT = """
INSERT INTO profiles (id, version, organisation_id, status, postcode, district_code,
                      occupations, staff_release_id, reference, consent_given_at,
                      consent_scope, body)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
"""
_UPDATE = """
UPDATE profiles SET version = $2, status = $3, postcode = $4, district_code = $5,
       occupations = $6, reference = $7, body = $8, updated_at = now()
WHERE id = $1
"""
_DELETE = "DELETE FROM profiles WHERE id = $1"
_AUDIT = "INSERT INTO erasures (profile_id, owner_id, requested_by) VALUES ($1, $2, $3)"
_COLUMNS = (
    "seq, id, version, organisation_id, status, staff_release_id, reference,"
    " consent_given_at, consent_scope, body"
)
# "Shared with agencies": the person agreed that agencies of the region may see it.
_SHARED = "consent_scope = 'matching_and_agencies'"


def _profile(row: asyncpg.Record) -> Profile:
    state = ProfilePublishedV1.model_validate(row["body"])
    consent = None
    if row["consent_given_at"] is not None:
        consent = Consent(row["consent_given_at"], ConsentScope(row["consent_scope"]))
    return Profile(
        id=row["id"],
        version=row["version"],
        organisation_id=row["organisation_id"],
        status=ProfileStatus(row["status"]),
        details=ProfileDetails(
            occupations=tuple(state.occupations),
            competences=tuple(state.competences),
            postcode=state.postcode,
            radius_km=state.radius_km,
            dqr_level=state.dqr_level,
            available_from=state.available_from,
            working_time=state.working_time,
        ),
        origin=state.origin or ProfileOrigin.JOB_SEEKER,
        consent=consent,
        staff_release_id=row["staff_release_id"],
        reference=row["reference"],
    )


class ProfileRepository:
    """Qualification profiles in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, profile: Profile, district: str | None) -> None:
        """Store a new profile with its consent."""
        d, consent = profile.details, profile.consent
        assert consent is not None, "no consent, no profile"
        await self._conn.execute(
            _INSERT, profile.id, profile.version, profile.organisation_id, profile.status,
            d.postcode, district, list(d.occupations), profile.staff_release_id,
            profile.reference, consent.given_at, consent.scope,
            profile.published().model_dump(mode="json"),
        )  # fmt: skip

    async def save(self, profile: Profile, district: str | None) -> None:
        """Store a changed profile."""
        d = profile.details
        await self._conn.execute(
            _UPDATE, profile.id, profile.version, profile.status, d.postcode, district,
            list(d.occupations), profile.reference, profile.published().model_dump(mode="json"),
        )  # fmt: skip

    async def erase(self, profile: Profile, requested_by: UUID) -> None:
        """Remove the profile altogether and record that it was erased."""
        await self._conn.execute(_DELETE, profile.id)
        await self._conn.execute(_AUDIT, profile.id, profile.organisation_id, requested_by)

    async def get(
        self, id_: UUID, principal: Principal, reach: Reach, *, for_update: bool = False
    ) -> Profile | None:
        """The profile if `principal` reaches it."""
        where = Where()
        where.add(f"id = {where.param(id_)}")
        within_reach(where, principal, reach, shared=_SHARED)
        lock = " FOR UPDATE" if for_update else ""
        sql = f"SELECT {_COLUMNS} FROM profiles WHERE {where.sql()}{lock}"  # noqa: S608
        row = await self._conn.fetchrow(sql, *where.params)
        return _profile(row) if row else None

    async def of_release(self, release_id: UUID, *, for_update: bool = False) -> list[Profile]:
        """The (remaining) profiles of a staff release."""
        lock = " FOR UPDATE" if for_update else ""
        sql = f"SELECT {_COLUMNS} FROM profiles WHERE staff_release_id = $1 ORDER BY seq{lock}"  # noqa: S608
        return [_profile(row) for row in await self._conn.fetch(sql, release_id)]

    async def list(
        self, principal: Principal, reach: Reach, filters: ListFilter
    ) -> list[tuple[int, Profile]]:
        """One page of reachable profiles in posting order, with their positions."""
        where = within_reach(Where(), principal, reach, shared=_SHARED)
        where.add(f"seq > {where.param(filters.after)}")
        if filters.districts is not None:
            where.add(f"district_code = ANY({where.param(sorted(filters.districts))}::text[])")
        if filters.occupation is not None:
            where.add(f"{where.param(filters.occupation)} = ANY(occupations)")
        if filters.status is not None:
            where.add(f"status = {where.param(filters.status)}")
        sql = (
            f"SELECT {_COLUMNS} FROM profiles WHERE {where.sql()}"  # noqa: S608
            f" ORDER BY seq LIMIT {where.param(filters.limit)}"
        )
        return [(row["seq"], _profile(row)) for row in await self._conn.fetch(sql, *where.params)]
