"""SQL for bulletins; the TARGETED reach is the bulletin's kinds, districts and validity."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.profiles.adapters.sql import Where
from services.profiles.domain.access import Principal
from services.profiles.domain.bulletin import Bulletin, BulletinContent
from services.profiles.domain.permissions import Reach
from services.profiles.domain.queries import ListFilter
from shared.db import Connection
from shared.events import BulletinPublishedV1

_INSERT = """
INSERT INTO bulletins (id, version, organisation_id, target_district_codes, target_kinds,
                       target_occupations, category, valid_from, valid_until, body)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
"""
_COLUMNS = "seq, id, version, organisation_id, body"


def _bulletin(row: asyncpg.Record) -> Bulletin:
    state = BulletinPublishedV1.model_validate(row["body"])
    fields = state.model_dump(
        exclude={"bulletin_id", "version", "organisation_id", "organisation_kind"}
    )
    for name in (
        "target_regions", "target_district_codes", "target_occupations",
        "target_organisation_kinds",
    ):  # fmt: skip
        fields[name] = tuple(fields[name])
    return Bulletin(
        row["id"], row["version"], row["organisation_id"], state.organisation_kind,
        BulletinContent(**fields),
    )  # fmt: skip


def within_targets(where: Where, principal: Principal, reach: Reach) -> Where:
    """Restrict to the caller's own bulletins and those addressed to it and valid now."""
    if reach is Reach.ALL:
        return where
    own = f"organisation_id = {where.param(principal.organisation_id)}"
    if reach is Reach.OWN:
        return where.add(own)
    my_kind = where.param(principal.kind.value)
    kind = f"(cardinality(target_kinds) = 0 OR {my_kind} = ANY(target_kinds))"
    place = (
        "(cardinality(target_district_codes) = 0"
        f" OR target_district_codes && {where.param(sorted(principal.districts))}::text[])"
    )
    valid = (
        "(valid_from IS NULL OR valid_from <= now())"
        " AND (valid_until IS NULL OR valid_until > now())"
    )
    return where.add(f"({own} OR ({kind} AND {place} AND {valid}))")


class BulletinRepository:
    """Bulletins in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, bulletin: Bulletin) -> None:
        """Store a new bulletin."""
        c = bulletin.content
        await self._conn.execute(
            _INSERT, bulletin.id, bulletin.version, bulletin.organisation_id,
            list(c.target_district_codes), [k.value for k in c.target_organisation_kinds],
            list(c.target_occupations), c.category, c.valid_from, c.valid_until,
            bulletin.published().model_dump(mode="json"),
        )  # fmt: skip

    async def get(self, id_: UUID, principal: Principal, reach: Reach) -> Bulletin | None:
        """The bulletin if `principal` reaches it."""
        where = Where()
        where.add(f"id = {where.param(id_)}")
        within_targets(where, principal, reach)
        sql = f"SELECT {_COLUMNS} FROM bulletins WHERE {where.sql()}"  # noqa: S608
        row = await self._conn.fetchrow(sql, *where.params)
        return _bulletin(row) if row else None

    async def list(
        self, principal: Principal, reach: Reach, filters: ListFilter, category: str | None
    ) -> list[tuple[int, Bulletin]]:
        """One page of reachable bulletins in publishing order, with their positions."""
        where = within_targets(Where(), principal, reach)
        where.add(f"seq > {where.param(filters.after)}")
        if filters.districts is not None:
            codes = where.param(sorted(filters.districts))
            where.add(
                "(cardinality(target_district_codes) = 0"
                f" OR target_district_codes && {codes}::text[])"
            )
        if filters.occupation is not None:
            occupation = where.param(filters.occupation)
            where.add(
                f"(cardinality(target_occupations) = 0 OR {occupation} = ANY(target_occupations))"
            )
        if category is not None:
            where.add(f"category = {where.param(category)}")
        sql = (
            f"SELECT {_COLUMNS} FROM bulletins WHERE {where.sql()}"  # noqa: S608
            f" ORDER BY seq LIMIT {where.param(filters.limit)}"
        )
        return [(row["seq"], _bulletin(row)) for row in await self._conn.fetch(sql, *where.params)]
