"""SQL for vacancies; the repository takes the unit of work's connection."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.profiles.adapters.sql import Where, within_reach
from services.profiles.domain.access import Principal
from services.profiles.domain.model import Vacancy, VacancyDetails, VacancyStatus
from services.profiles.domain.permissions import Reach
from services.profiles.domain.queries import ListFilter
from shared.db import Connection
from shared.events import VacancyOpenedV1

_INSERT = """
INSERT INTO vacancies (id, version, organisation_id, status, occupation, postcode,
                       district_code, body)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
"""
_UPDATE = """
UPDATE vacancies SET version = $2, status = $3, occupation = $4, postcode = $5,
       district_code = $6, body = $7, updated_at = now()
WHERE id = $1
"""
_COLUMNS = "seq, id, version, organisation_id, status, body"


def _vacancy(row: asyncpg.Record) -> Vacancy:
    state = VacancyOpenedV1.model_validate(row["body"])
    fields = state.model_dump(exclude={"vacancy_id", "version", "organisation_id"})
    fields["competences"] = tuple(state.competences)
    return Vacancy(
        id=row["id"],
        version=row["version"],
        organisation_id=row["organisation_id"],
        status=VacancyStatus(row["status"]),
        details=VacancyDetails(**fields),
    )


class VacancyRepository:
    """Vacancies in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, vacancy: Vacancy, district: str | None) -> None:
        """Store a new vacancy."""
        d = vacancy.details
        await self._conn.execute(
            _INSERT, vacancy.id, vacancy.version, vacancy.organisation_id, vacancy.status,
            d.occupation, d.postcode, district, vacancy.opened().model_dump(mode="json"),
        )  # fmt: skip

    async def save(self, vacancy: Vacancy, district: str | None) -> None:
        """Store a changed vacancy."""
        d = vacancy.details
        await self._conn.execute(
            _UPDATE, vacancy.id, vacancy.version, vacancy.status, d.occupation, d.postcode,
            district, vacancy.opened().model_dump(mode="json"),
        )  # fmt: skip

    async def get(
        self, id_: UUID, principal: Principal, reach: Reach, *, for_update: bool = False
    ) -> Vacancy | None:
        """The vacancy if `principal` reaches it."""
        where = Where()
        where.add(f"id = {where.param(id_)}")
        within_reach(where, principal, reach, shared="TRUE")
        lock = " FOR UPDATE" if for_update else ""
        sql = f"SELECT {_COLUMNS} FROM vacancies WHERE {where.sql()}{lock}"  # noqa: S608
        row = await self._conn.fetchrow(sql, *where.params)
        return _vacancy(row) if row else None

    async def list(
        self, principal: Principal, reach: Reach, filters: ListFilter
    ) -> list[tuple[int, Vacancy]]:
        """One page of reachable vacancies in posting order, with their positions."""
        where = within_reach(Where(), principal, reach, shared="TRUE")
        where.add(f"seq > {where.param(filters.after)}")
        if filters.districts is not None:
            where.add(f"district_code = ANY({where.param(sorted(filters.districts))}::text[])")
        if filters.occupation is not None:
            occupation = where.param(filters.occupation)
            where.add(f"(occupation = {occupation} OR body->>'kldb_code' = {occupation})")
        if filters.status is not None:
            where.add(f"status = {where.param(filters.status)}")
        sql = (
            f"SELECT {_COLUMNS} FROM vacancies WHERE {where.sql()}"  # noqa: S608
            f" ORDER BY seq LIMIT {where.param(filters.limit)}"
        )
        return [(row["seq"], _vacancy(row)) for row in await self._conn.fetch(sql, *where.params)]
