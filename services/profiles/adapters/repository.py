"""SQL for vacancies and profiles; repositories take the unit of work's connection."""

from __future__ import annotations

from services.profiles.domain.model import Profile, Vacancy
from shared.db import Connection

_INSERT_VACANCY = """
INSERT INTO vacancies (id, version, occupation, postcode, body)
VALUES ($1, $2, $3, $4, $5)
"""
_INSERT_PROFILE = """
INSERT INTO profiles (id, version, postcode, body)
VALUES ($1, $2, $3, $4)
"""


class VacancyRepository:
    """Vacancies in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, vacancy: Vacancy) -> None:
        """Store a new vacancy."""
        body = vacancy.opened().model_dump(mode="json")
        await self._conn.execute(
            _INSERT_VACANCY, vacancy.id, vacancy.version, vacancy.occupation, vacancy.postcode, body
        )


class ProfileRepository:
    """Qualification profiles in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, profile: Profile) -> None:
        """Store a new profile."""
        body = profile.published().model_dump(mode="json")
        await self._conn.execute(
            _INSERT_PROFILE, profile.id, profile.version, profile.postcode, body
        )
