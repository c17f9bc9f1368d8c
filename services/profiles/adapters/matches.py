"""SQL of the matches read model: version-guarded upserts, reach and best-first pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from services.profiles.adapters.sql import Where
from services.profiles.domain.access import Principal
from services.profiles.domain.permissions import Reach
from services.profiles.domain.read_models import MatchPosition, MatchQuery, MatchView
from shared.db import Connection
from shared.events import MatchFoundV1, MatchRetractedV1, MatchUpdatedV1

# Only a newer version changes a row: replays and late, older events change nothing.
_UPSERT = """
INSERT INTO matches AS m (vacancy_id, profile_id, version, status, score,
    vacancy_organisation_id, profile_organisation_id, vacancy_district_code,
    profile_district_code, body)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb)
ON CONFLICT (vacancy_id, profile_id) DO UPDATE SET
    version = EXCLUDED.version, status = EXCLUDED.status, score = EXCLUDED.score,
    vacancy_organisation_id = COALESCE(EXCLUDED.vacancy_organisation_id, m.vacancy_organisation_id),
    profile_organisation_id = COALESCE(EXCLUDED.profile_organisation_id, m.profile_organisation_id),
    vacancy_district_code = COALESCE(EXCLUDED.vacancy_district_code, m.vacancy_district_code),
    profile_district_code = COALESCE(EXCLUDED.profile_district_code, m.profile_district_code),
    body = EXCLUDED.body, updated_at = now()
WHERE m.version < EXCLUDED.version
RETURNING m.version
"""
_COLUMNS = "seq, score, body, updated_at"
# "Shared with agencies", exactly as for the profile itself: in the agency's regions
# and with the person's consent to agencies.
_SHARED_PROFILE = (
    "EXISTS (SELECT 1 FROM profiles p WHERE p.id = m.profile_id"
    " AND p.consent_scope = 'matching_and_agencies' AND p.district_code = ANY({d}::text[]))"
)


def _within_reach(where: Where, principal: Principal, reach: Reach) -> Where:
    if reach is Reach.ALL:
        return where
    me = where.param(principal.organisation_id)
    own = f"(m.vacancy_organisation_id = {me} OR m.profile_organisation_id = {me})"
    if reach is Reach.OWN:
        return where.add(own)
    d = where.param(sorted(principal.districts))
    if reach is Reach.SHARED:
        return where.add(f"({own} OR {_SHARED_PROFILE.format(d=d)})")
    in_region = (
        f"m.vacancy_district_code = ANY({d}::text[]) OR m.profile_district_code = ANY({d}::text[])"
    )
    return where.add(f"({own} OR {in_region})")


def _view(row: asyncpg.Record) -> MatchView:
    return MatchView(
        MatchFoundV1.model_validate(row["body"]),
        row["updated_at"],
        MatchPosition(row["score"], row["seq"]),
    )


MatchEvent = MatchFoundV1 | MatchUpdatedV1 | MatchRetractedV1


def _arguments(event: MatchEvent) -> tuple[Any, ...]:
    retracted = isinstance(event, MatchRetractedV1)
    score: Any = None if isinstance(event, MatchRetractedV1) else event.score
    return (
        event.vacancy_id, event.profile_id, event.version,
        "retracted" if retracted else "active", score,
        event.vacancy_organisation_id, event.profile_organisation_id,
        event.vacancy_district_code, event.profile_district_code,
        event.model_dump_json(),
    )  # fmt: skip


class MatchRepository:
    """The matches read model in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def apply(self, event: MatchEvent) -> bool:
        """Record the pair's new state; False when the event's version is not newer."""
        return await self._conn.fetchval(_UPSERT, *_arguments(event)) is not None

    async def apply_all(self, events: Sequence[MatchEvent]) -> None:
        """`apply` each event in order, in one round trip (the statement is pipelined)."""
        await self._conn.executemany(_UPSERT, [_arguments(event) for event in events])

    async def list(self, principal: Principal, reach: Reach, query: MatchQuery) -> list[MatchView]:
        """One page of reachable active matches, best score first."""
        where = _within_reach(Where(), principal, reach)
        where.add("m.status = 'active'")
        if query.vacancy_id is not None:
            where.add(f"m.vacancy_id = {where.param(query.vacancy_id)}")
        if query.profile_id is not None:
            where.add(f"m.profile_id = {where.param(query.profile_id)}")
        if query.districts is not None:
            d = where.param(sorted(query.districts))
            where.add(
                f"(m.vacancy_district_code = ANY({d}::text[])"
                f" OR m.profile_district_code = ANY({d}::text[]))"
            )
        if query.after is not None:
            score, seq = where.param(query.after.score), where.param(query.after.seq)
            where.add(f"(m.score < {score} OR (m.score = {score} AND m.seq > {seq}))")
        sql = (
            f"SELECT {_COLUMNS} FROM matches m WHERE {where.sql()}"  # noqa: S608
            f" ORDER BY m.score DESC, m.seq LIMIT {where.param(query.limit)}"
        )
        return [_view(row) for row in await self._conn.fetch(sql, *where.params)]
