"""SQL for the matcher's state: both sides, retrieval of candidates, emitted matches."""

from __future__ import annotations

import math
from uuid import UUID

from asyncpg import Record

from services.matching.domain.model import ProfileSide, VacancySide
from shared.db import Connection
from shared.events import HeldCompetence, RequiredCompetence

KM_PER_DEGREE_LAT = 111.2

_UPSERT = """
INSERT INTO {table} AS t (id, version, competence_ids, lat, lon, radius_km, competences)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (id) DO UPDATE SET
    version = EXCLUDED.version, competence_ids = EXCLUDED.competence_ids,
    lat = EXCLUDED.lat, lon = EXCLUDED.lon, radius_km = EXCLUDED.radius_km,
    competences = EXCLUDED.competences
WHERE t.version < EXCLUDED.version
RETURNING id
"""
_NEARBY_SHARING = """
SELECT id, version, lat, lon, radius_km, competences FROM {table}
WHERE competence_ids && $1::text[]
  AND lat BETWEEN $2 AND $3 AND lon BETWEEN $4 AND $5
"""
_INSERT_MATCH = """
INSERT INTO matches (vacancy_id, profile_id, version, score, vacancy_version, profile_version)
VALUES ($1, $2, 1, $3, $4, $5)
ON CONFLICT (vacancy_id, profile_id) DO NOTHING
RETURNING version
"""


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """min_lat, max_lat, min_lon, max_lon of a square that contains the radius."""
    dlat = radius_km / KM_PER_DEGREE_LAT
    dlon = radius_km / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


class MatchingState:
    """The matcher's tables on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def _upsert(self, table: str, side: VacancySide | ProfileSide) -> bool:
        body = [c.model_dump(mode="json") for c in side.competences]
        row = await self._conn.fetchrow(
            _UPSERT.format(table=table),
            side.id,
            side.version,
            side.competence_ids,
            side.lat,
            side.lon,
            side.radius_km,
            body,
        )
        return row is not None

    async def save_vacancy(self, vacancy: VacancySide) -> bool:
        """Store the vacancy; False when the stored version is the same or newer."""
        return await self._upsert("vacancies", vacancy)

    async def save_profile(self, profile: ProfileSide) -> bool:
        """Store the profile; False when the stored version is the same or newer."""
        return await self._upsert("profiles", profile)

    async def _nearby(
        self, table: str, ids: list[str], lat: float, lon: float, radius_km: float
    ) -> list[Record]:
        return await self._conn.fetch(
            _NEARBY_SHARING.format(table=table), ids, *bounding_box(lat, lon, radius_km)
        )

    async def profiles_near(self, vacancy: VacancySide) -> list[ProfileSide]:
        """Profiles that share a competence and lie within the vacancy's radius box."""
        rows = await self._nearby(
            "profiles", vacancy.competence_ids, vacancy.lat, vacancy.lon, vacancy.radius_km
        )
        return [
            ProfileSide(
                id=r["id"],
                version=r["version"],
                lat=r["lat"],
                lon=r["lon"],
                radius_km=r["radius_km"],
                competences=tuple(HeldCompetence.model_validate(c) for c in r["competences"]),
            )
            for r in rows
        ]

    async def vacancies_near(self, profile: ProfileSide) -> list[VacancySide]:
        """Vacancies that share a competence and lie within the profile's radius box."""
        rows = await self._nearby(
            "vacancies", profile.competence_ids, profile.lat, profile.lon, profile.radius_km
        )
        return [
            VacancySide(
                id=r["id"],
                version=r["version"],
                lat=r["lat"],
                lon=r["lon"],
                radius_km=r["radius_km"],
                competences=tuple(RequiredCompetence.model_validate(c) for c in r["competences"]),
            )
            for r in rows
        ]

    async def record_match(
        self, vacancy: VacancySide, profile: ProfileSide, score: float
    ) -> int | None:
        """Record a new match; its version, or None when the pair was already matched."""
        version: int | None = await self._conn.fetchval(
            _INSERT_MATCH, vacancy.id, profile.id, score, vacancy.version, profile.version
        )
        return version

    async def match_count(self, *, vacancy_id: UUID) -> int:
        """How many matches a vacancy has (for tests and metrics)."""
        count: int = await self._conn.fetchval(
            "SELECT count(*) FROM matches WHERE vacancy_id = $1", vacancy_id
        )
        return count
