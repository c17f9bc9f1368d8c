"""SQL for staff releases."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.profiles.adapters.sql import Where, within_reach
from services.profiles.domain.access import Principal
from services.profiles.domain.permissions import Reach
from services.profiles.domain.queries import ListFilter
from services.profiles.domain.staff_release import ReleaseStatus, ReleaseTerms, StaffRelease
from shared.db import Connection
from shared.events import StaffReleaseAnnouncedV1

_INSERT = """
INSERT INTO staff_releases (id, version, organisation_id, status, postcode, district_code, body)
VALUES ($1, $2, $3, $4, $5, $6, $7)
"""
_UPDATE = """
UPDATE staff_releases SET version = $2, status = $3, postcode = $4, district_code = $5,
       body = $6, updated_at = now()
WHERE id = $1
"""
_COLUMNS = "seq, id, version, organisation_id, status, postcode, body"


def _release(row: asyncpg.Record) -> StaffRelease:
    state = StaffReleaseAnnouncedV1.model_validate(row["body"])
    terms = ReleaseTerms(
        release_date=state.release_date,
        postcode=row["postcode"],
        transfer_window_end=state.transfer_window_end,
        reason=state.reason,
    )
    return StaffRelease(
        id=row["id"],
        version=row["version"],
        organisation_id=row["organisation_id"],
        status=ReleaseStatus(row["status"]),
        terms=terms,
        profile_ids=tuple(state.profile_ids),
    )


class StaffReleaseRepository:
    """Staff releases in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, release: StaffRelease, district: str | None) -> None:
        """Store a new staff release."""
        body = release.announced().model_dump(mode="json")
        await self._conn.execute(
            _INSERT, release.id, release.version, release.organisation_id, release.status,
            release.terms.postcode, district, body,
        )  # fmt: skip

    async def save(self, release: StaffRelease, district: str | None) -> None:
        """Store a changed staff release."""
        body = release.announced().model_dump(mode="json")
        await self._conn.execute(
            _UPDATE, release.id, release.version, release.status, release.terms.postcode,
            district, body,
        )  # fmt: skip

    async def get(
        self, id_: UUID, principal: Principal, reach: Reach, *, for_update: bool = False
    ) -> StaffRelease | None:
        """The staff release if `principal` reaches it."""
        where = Where()
        where.add(f"id = {where.param(id_)}")
        within_reach(where, principal, reach, shared="FALSE")
        lock = " FOR UPDATE" if for_update else ""
        sql = f"SELECT {_COLUMNS} FROM staff_releases WHERE {where.sql()}{lock}"  # noqa: S608
        row = await self._conn.fetchrow(sql, *where.params)
        return _release(row) if row else None

    async def list(
        self, principal: Principal, reach: Reach, filters: ListFilter
    ) -> list[tuple[int, StaffRelease]]:
        """One page of reachable staff releases in posting order, with their positions."""
        where = within_reach(Where(), principal, reach, shared="FALSE")
        where.add(f"seq > {where.param(filters.after)}")
        if filters.districts is not None:
            where.add(f"district_code = ANY({where.param(sorted(filters.districts))}::text[])")
        if filters.status is not None:
            where.add(f"status = {where.param(filters.status)}")
        sql = (
            f"SELECT {_COLUMNS} FROM staff_releases WHERE {where.sql()}"  # noqa: S608
            f" ORDER BY seq LIMIT {where.param(filters.limit)}"
        )
        return [(row["seq"], _release(row)) for row in await self._conn.fetch(sql, *where.params)]
