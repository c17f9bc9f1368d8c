"""What the matcher keeps of each side: requirements or competences, place and radius."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from shared.events import HeldCompetence, RequiredCompetence


@dataclass(frozen=True, slots=True)
class VacancySide:
    """A vacancy as the matcher sees it."""

    id: UUID
    version: int
    competences: tuple[RequiredCompetence, ...]
    lat: float
    lon: float
    radius_km: int

    @property
    def competence_ids(self) -> list[str]:
        """Ids of the required competences (the retrieval key)."""
        return [c.competence_id for c in self.competences]


@dataclass(frozen=True, slots=True)
class ProfileSide:
    """A profile as the matcher sees it."""

    id: UUID
    version: int
    competences: tuple[HeldCompetence, ...]
    lat: float
    lon: float
    radius_km: int

    @property
    def competence_ids(self) -> list[str]:
        """Ids of the held competences (the retrieval key)."""
        return [c.competence_id for c in self.competences]
