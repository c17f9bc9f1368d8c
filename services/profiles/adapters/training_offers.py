"""SQL for the training catalogue."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.profiles.adapters.sql import Where, within_reach
from services.profiles.domain.access import Principal
from services.profiles.domain.permissions import Reach
from services.profiles.domain.queries import ListFilter
from services.profiles.domain.training import OfferDetails, OfferStatus, TrainingOffer
from shared.db import Connection
from shared.events import TrainingOfferPublishedV1

_INSERT = """
INSERT INTO training_offers (id, version, organisation_id, status, postcode, district_code,
                             competence_ids, body)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
"""
_UPDATE = """
UPDATE training_offers SET version = $2, status = $3, postcode = $4, district_code = $5,
       competence_ids = $6, body = $7, updated_at = now()
WHERE id = $1
"""
_COLUMNS = "seq, id, version, organisation_id, status, body"


def _offer(row: asyncpg.Record) -> TrainingOffer:
    state = TrainingOfferPublishedV1.model_validate(row["body"])
    fields = state.model_dump(exclude={"offer_id", "version", "organisation_id"})
    fields["competences"] = tuple(state.competences)
    fields["start_dates"] = tuple(state.start_dates)
    return TrainingOffer(
        id=row["id"],
        version=row["version"],
        organisation_id=row["organisation_id"],
        status=OfferStatus(row["status"]),
        details=OfferDetails(**fields),
    )


class TrainingOfferRepository:
    """Training offers in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, offer: TrainingOffer, district: str | None) -> None:
        """Store a new offer."""
        await self._conn.execute(_INSERT, offer.id, *self._values(offer, district))

    async def save(self, offer: TrainingOffer, district: str | None) -> None:
        """Store a changed offer."""
        values = self._values(offer, district)
        await self._conn.execute(_UPDATE, offer.id, values[0], *values[2:])

    @staticmethod
    def _values(offer: TrainingOffer, district: str | None) -> list[object]:
        d = offer.details
        return [
            offer.version, offer.organisation_id, offer.status, d.postcode, district,
            [c.competence_id for c in d.competences], offer.published().model_dump(mode="json"),
        ]  # fmt: skip

    async def get(
        self, id_: UUID, principal: Principal, reach: Reach, *, for_update: bool = False
    ) -> TrainingOffer | None:
        """The offer if `principal` reaches it."""
        where = Where()
        where.add(f"id = {where.param(id_)}")
        within_reach(where, principal, reach, shared="TRUE")
        lock = " FOR UPDATE" if for_update else ""
        sql = f"SELECT {_COLUMNS} FROM training_offers WHERE {where.sql()}{lock}"  # noqa: S608
        row = await self._conn.fetchrow(sql, *where.params)
        return _offer(row) if row else None

    async def list(
        self, principal: Principal, reach: Reach, filters: ListFilter, competence: str | None
    ) -> list[tuple[int, TrainingOffer]]:
        """One page of offers in posting order, with their positions."""
        where = within_reach(Where(), principal, reach, shared="TRUE")
        where.add(f"seq > {where.param(filters.after)}")
        if filters.districts is not None:
            where.add(f"district_code = ANY({where.param(sorted(filters.districts))}::text[])")
        if competence is not None:
            where.add(f"{where.param(competence)} = ANY(competence_ids)")
        if filters.status is not None:
            where.add(f"status = {where.param(filters.status)}")
        sql = (
            f"SELECT {_COLUMNS} FROM training_offers WHERE {where.sql()}"  # noqa: S608
            f" ORDER BY seq LIMIT {where.param(filters.limit)}"
        )
        return [(row["seq"], _offer(row)) for row in await self._conn.fetch(sql, *where.params)]
