"""Related competences: skills that occupations tend to require together.

Two skills are related by the Jaccard similarity of the sets of occupations that
list each as essential (ESCO occupation–skill relations). Only pairs above a
threshold are kept, and only the closest few per skill (plus the skills that count
it among their closest, so the relation is symmetric), so the table stays small and
the credit a related skill earns stays bounded (see docs/matching.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Protocol

MIN_SIMILARITY = 0.5
MIN_SHARED_OCCUPATIONS = 2
MAX_RELATED = 5


class OccupationSkillSource(Protocol):
    """The part of shared.reference.occupation_skills the matcher uses."""

    def occupations(self) -> Iterable[str]:
        """Every occupation URI."""
        ...

    def essential(self, uri: str) -> Iterable[str]:
        """Essential skill URIs of an occupation."""
        ...


class RelatedCompetences:
    """Skill → its closest related skills with their similarity in (0, 1]; symmetric.

    Keeping only the closest few per skill would make the relation one-sided (b among
    a's closest, a not among b's). Retrieval needs it symmetric: a vacancy finds the
    holders of skills related to what it requires, and a profile must find the same
    vacancies from the skills it holds, whichever of the two arrived first.
    """

    def __init__(self, table: Mapping[str, tuple[tuple[str, float], ...]] | None = None) -> None:
        both: dict[str, dict[str, float]] = defaultdict(dict)
        for skill, near in (table or {}).items():
            for other, similarity in near:
                both[skill][other] = similarity
                both[other].setdefault(skill, similarity)
        self._table = {
            k: tuple(sorted(v.items(), key=lambda x: (-x[1], x[0]))) for k, v in both.items()
        }

    @classmethod
    def from_relations(cls, source: OccupationSkillSource) -> RelatedCompetences:
        """Compute the table from occupation → essential skills."""
        occupations_of: dict[str, int] = defaultdict(int)
        together: dict[tuple[str, str], int] = defaultdict(int)
        for occupation in source.occupations():
            skills = sorted(set(source.essential(occupation)))
            for skill in skills:
                occupations_of[skill] += 1
            for a, b in combinations(skills, 2):
                together[(a, b)] += 1
        near: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for (a, b), both in together.items():
            if both < MIN_SHARED_OCCUPATIONS:
                continue
            jaccard = both / (occupations_of[a] + occupations_of[b] - both)
            if jaccard >= MIN_SIMILARITY:
                near[a].append((b, round(jaccard, 3)))
                near[b].append((a, round(jaccard, 3)))
        return cls(
            {
                k: tuple(sorted(v, key=lambda x: (-x[1], x[0]))[:MAX_RELATED])
                for k, v in near.items()
            }
        )

    def __call__(self, competence_id: str) -> tuple[tuple[str, float], ...]:
        """The related skills of one skill, closest first (empty when none)."""
        return self._table.get(competence_id, ())

    def __len__(self) -> int:
        return len(self._table)
