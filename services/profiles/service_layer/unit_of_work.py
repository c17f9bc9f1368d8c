"""The profiles service's unit of work: its repositories on one transaction."""

from __future__ import annotations

from services.profiles.adapters.idempotency import IdempotencyRepository
from services.profiles.adapters.organisations import OrganisationRepository
from services.profiles.adapters.profiles import ProfileRepository
from services.profiles.adapters.staff_releases import StaffReleaseRepository
from services.profiles.adapters.vacancies import VacancyRepository
from shared.unit_of_work import UnitOfWork

SCHEMA = "profiles"


class ProfilesUnitOfWork(UnitOfWork):
    """Postings, tenants and idempotency records, written with their events in one transaction."""

    @property
    def vacancies(self) -> VacancyRepository:
        """Vacancy repository on this transaction."""
        return VacancyRepository(self.conn)

    @property
    def profiles(self) -> ProfileRepository:
        """Profile repository on this transaction."""
        return ProfileRepository(self.conn)

    @property
    def staff_releases(self) -> StaffReleaseRepository:
        """Staff-release repository on this transaction."""
        return StaffReleaseRepository(self.conn)

    @property
    def organisations(self) -> OrganisationRepository:
        """Organisations and API keys on this transaction."""
        return OrganisationRepository(self.conn)

    @property
    def idempotency(self) -> IdempotencyRepository:
        """Idempotency records on this transaction."""
        return IdempotencyRepository(self.conn)
