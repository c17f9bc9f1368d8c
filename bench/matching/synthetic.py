"""Synthetic but realistic postings from ESCO's occupation–skill relations and real postcodes.

A profile picks an occupation, holds most of its essential skills and a few of its
optional ones, each with a level and evidence; a vacancy picks an occupation and
requires a few of its essential skills (must / should) and an optional one (nice).
Places are drawn uniformly over the real German postal codes: postal-code areas are
cut to carry similar numbers of households, so cities get many codes and the draw is
weighted towards populated places without a population table.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from shared.events import (
    Evidence,
    HeldCompetence,
    Importance,
    ProfilePublishedV1,
    RequiredCompetence,
    VacancyOpenedV1,
    WorkingTime,
)
from shared.reference.geo import PostcodeDirectory
from shared.reference.occupation_skills import OccupationSkills

EVIDENCE = [Evidence.SELF_ASSESSED] * 4 + [Evidence.EMPLOYER_ATTESTED] * 3
EVIDENCE += [Evidence.CERTIFIED] * 2 + [Evidence.MEASURED]
LEVELS = [1, 2, 2, 3, 3, 3, 4, 4, 5]
TODAY = date(2026, 1, 1)


def postcodes(directory: PostcodeDirectory) -> list[str]:
    """Every postal code the directory knows, in order."""
    return [f"{n:05d}" for n in range(100_000) if f"{n:05d}" in directory]


class Synthetic:
    """Deterministic stream of profile and vacancy events for one seed."""

    def __init__(self, seed: int, directory: PostcodeDirectory) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.skills = OccupationSkills.load()
        self.occupations = [o for o in self.skills.occupations() if self.skills.essential(o)]
        self.codes = postcodes(directory)
        self._orgs = [uuid.UUID(int=self.rng.getrandbits(128)) for _ in range(500)]

    def _id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def profile(self) -> ProfilePublishedV1:
        """A job seeker or released employee of a random occupation."""
        rng, occupation = self.rng, self.rng.choice(self.occupations)
        essential, optional = self.skills.essential(occupation), self.skills.optional(occupation)
        held = rng.sample(essential, max(1, round(len(essential) * rng.uniform(0.6, 1.0))))
        held += rng.sample(optional, min(len(optional), rng.randint(0, 5)))
        return ProfilePublishedV1.model_construct(
            profile_id=self._id(),
            version=1,
            organisation_id=rng.choice(self._orgs),
            occupations=[occupation],
            competences=[
                HeldCompetence.model_construct(
                    competence_id=c, level=rng.choice(LEVELS), evidence=rng.choice(EVIDENCE)
                )
                for c in held
            ],
            postcode=rng.choice(self.codes),
            radius_km=rng.choice((15, 25, 30, 40, 50)),
            dqr_level=rng.randint(2, 6),
            available_from=TODAY + timedelta(days=rng.randint(0, 120)),
            working_time=rng.choice(list(WorkingTime)),
        )

    def vacancy(self) -> VacancyOpenedV1:
        """A vacancy requiring a few essential skills of its occupation and a nice-to-have."""
        rng, occupation = self.rng, self.rng.choice(self.occupations)
        essential, optional = self.skills.essential(occupation), self.skills.optional(occupation)
        picked = rng.sample(essential, min(len(essential), rng.randint(3, 8)))
        wanted = [
            (c, Importance.MUST if i < 3 else Importance.SHOULD) for i, c in enumerate(picked)
        ]
        wanted += [(c, Importance.NICE) for c in rng.sample(optional, min(len(optional), 2))]
        return VacancyOpenedV1.model_construct(
            vacancy_id=self._id(),
            version=1,
            organisation_id=rng.choice(self._orgs),
            occupation=occupation,
            competences=[
                RequiredCompetence.model_construct(
                    competence_id=c, min_level=rng.randint(2, 4), importance=imp
                )
                for c, imp in wanted
            ],
            postcode=rng.choice(self.codes),
            radius_km=rng.choice((20, 30, 40, 50, 75)),
            min_dqr_level=rng.choice((None, 3, 4, 5)),
            start_date=TODAY + timedelta(days=rng.randint(0, 90)),
            working_time=rng.choice(list(WorkingTime)),
        )
