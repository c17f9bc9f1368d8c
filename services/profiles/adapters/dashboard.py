"""SQL of the hub dashboard: postings counted by district, the hub's delivery health."""

from __future__ import annotations

from uuid import UUID

from services.profiles.domain.dashboard import DeliveryHealth, DistrictCounts
from services.profiles.domain.read_models import DeliveryView, MatchPosition, MatchView
from shared.db import Connection
from shared.events import DeliveryOutcomeV1, MatchFoundV1

# Only what is live counts: open vacancies, announced releases, active profiles.
_COUNTS = """
SELECT district_code, 'vacancies' AS what, count(*) AS n FROM vacancies
 WHERE status = 'open' AND district_code = ANY($1::text[]) GROUP BY district_code
UNION ALL
SELECT district_code, 'staff_releases', count(*) FROM staff_releases
 WHERE status = 'announced' AND district_code = ANY($1::text[]) GROUP BY district_code
UNION ALL
SELECT district_code, 'profiles', count(*) FROM profiles
 WHERE status = 'active' AND district_code = ANY($1::text[]) GROUP BY district_code
"""
# A pair belongs to the region when the workplace or the person's home lies in it.
_LATEST_MATCHES = """
SELECT seq, score, body, updated_at FROM matches m
 WHERE m.status = 'active'
   AND (m.vacancy_district_code = ANY($1::text[]) OR m.profile_district_code = ANY($1::text[]))
   AND ($2::boolean IS NULL
        OR coalesce((m.body->>'requires_training')::boolean, false) = $2::boolean)
 ORDER BY m.updated_at DESC, m.seq DESC LIMIT $3
"""
_MATCH_TOTALS = """
SELECT count(*) AS active,
       count(*) FILTER (WHERE coalesce((m.body->>'requires_training')::boolean, false)) AS training
  FROM matches m
 WHERE m.status = 'active'
   AND (m.vacancy_district_code = ANY($1::text[]) OR m.profile_district_code = ANY($1::text[]))
"""
# Titles only of vacancies in the region: a pair may join a vacancy from elsewhere.
_TITLES = """
SELECT id, body->>'title' AS title FROM vacancies
 WHERE id = ANY($1::uuid[]) AND district_code = ANY($2::text[]) AND body->>'title' IS NOT NULL
"""
_SUBSCRIPTIONS = (
    "SELECT count(*) FROM subscriptions WHERE organisation_id = $1 AND status = 'active'"
)
_BY_STATUS = """
SELECT d.status, count(*) AS n FROM deliveries d
  JOIN subscriptions s ON s.id = d.subscription_id
 WHERE s.organisation_id = $1 GROUP BY d.status
"""
_RECENT = """
SELECT d.seq, d.body FROM deliveries d
  JOIN subscriptions s ON s.id = d.subscription_id
 WHERE s.organisation_id = $1 ORDER BY d.updated_at DESC, d.seq DESC LIMIT $2
"""


class DashboardRepository:
    """Read-only aggregates for a hub's dashboard."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def counts(self, districts: frozenset[str]) -> dict[str, DistrictCounts]:
        """Live postings per district of `districts` (districts without any are left out)."""
        found: dict[str, dict[str, int]] = {}
        for row in await self._conn.fetch(_COUNTS, sorted(districts)):
            found.setdefault(row["district_code"], {})[row["what"]] = row["n"]
        return {code: DistrictCounts(**values) for code, values in found.items()}

    async def latest_matches(
        self, districts: frozenset[str], *, requires_training: bool | None, limit: int
    ) -> list[MatchView]:
        """The region's active matches, most recently changed first."""
        rows = await self._conn.fetch(_LATEST_MATCHES, sorted(districts), requires_training, limit)
        return [
            MatchView(
                MatchFoundV1.model_validate(r["body"]),
                r["updated_at"],
                MatchPosition(r["score"], r["seq"]),
            )
            for r in rows
        ]

    async def match_totals(self, districts: frozenset[str]) -> tuple[int, int]:
        """Active matches of the region, and how many of them need training."""
        row = await self._conn.fetchrow(_MATCH_TOTALS, sorted(districts))
        return (row["active"], row["training"]) if row else (0, 0)

    async def vacancy_titles(self, ids: list[UUID], districts: frozenset[str]) -> dict[UUID, str]:
        """Advertised titles of those vacancies that lie in `districts`."""
        rows = await self._conn.fetch(_TITLES, ids, sorted(districts))
        return {r["id"]: r["title"] for r in rows}

    async def delivery_health(self, organisation_id: UUID, *, recent: int) -> DeliveryHealth:
        """Deliveries of the organisation's subscriptions by status, and the latest few."""
        subscriptions = await self._conn.fetchval(_SUBSCRIPTIONS, organisation_id)
        rows = await self._conn.fetch(_BY_STATUS, organisation_id)
        latest = await self._conn.fetch(_RECENT, organisation_id, recent)
        return DeliveryHealth(
            subscriptions=int(subscriptions or 0),
            by_status={r["status"]: r["n"] for r in rows},
            recent=[
                DeliveryView(DeliveryOutcomeV1.model_validate(r["body"]), r["seq"]) for r in latest
            ],
        )
