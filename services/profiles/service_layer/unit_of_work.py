"""The profiles service's unit of work: its repositories on one transaction."""

from __future__ import annotations

from services.profiles.adapters.repository import ProfileRepository, VacancyRepository
from shared.unit_of_work import UnitOfWork

SCHEMA = "profiles"


class ProfilesUnitOfWork(UnitOfWork):
    """Vacancies and profiles, written with their outbox events in one transaction."""

    @property
    def vacancies(self) -> VacancyRepository:
        """Vacancy repository on this transaction."""
        return VacancyRepository(self.conn)

    @property
    def profiles(self) -> ProfileRepository:
        """Profile repository on this transaction."""
        return ProfileRepository(self.conn)
