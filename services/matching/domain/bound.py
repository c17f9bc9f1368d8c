"""An upper bound on one pair's score from set lookups, so the scan evaluates only what may enter.

The scan's stop bound (ranking.py) knows only a group's distance and assumes the
other 80 % of the score perfect, so in a dense area it reads every holder within
most of the radius. This bound is per candidate: it takes the credit of a
requirement held directly as `evaluate` computes it, a related competence's credit
at its ceiling (`related_credit × similarity`, level and evidence assumed full), a
requirement neither held nor related at the bridging credit when any offer teaches
it, and the distance and the other components exactly. Every term is at least what
`evaluate` finds and is summed in the same order, so the bound is never below the
rounded score (floating-point addition and division are monotone); a unit test
checks it against `evaluate` on random pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from services.matching.domain.model import EVIDENCE_FACTOR, Held, Profile, Vacancy
from services.matching.domain.policy import IMPORTANCE_WEIGHT, Policy
from services.matching.domain.scoring import (
    Related,
    availability_fit,
    dqr_fit,
    region_fit,
    working_time_fit,
)
from shared.reference.geo import haversine_km

TeachesAnywhere = Callable[[str, int], bool]
# Requirement as the bound reads it: weight, id, minimum level, (related id, ceiling)
# pairs, credit when neither it nor a related competence is held.
_Term = tuple[float, str, int, tuple[tuple[str, float], ...], float]


class ScoreBound:
    """For one vacancy: `bound(p)` ≥ the score `evaluate` gives the pair; -1 beyond the radius."""

    def __init__(
        self, v: Vacancy, related: Related, teaches_anywhere: TeachesAnywhere, policy: Policy
    ) -> None:
        self.v, self.policy = v, policy
        self._related, self._teaches_anywhere = related, teaches_anywhere
        # Prepared on first use: many vacancies find no candidate within reach.
        self._terms: list[_Term] | None = None
        self._total = sum(IMPORTANCE_WEIGHT[r.importance] for r in v.requirements)

    def _prepare(self) -> list[_Term]:
        pol, terms = self.policy, []
        for r in self.v.requirements:
            near = tuple((o, pol.related_credit * s) for o, s in self._related(r.competence_id))
            taught = self._teaches_anywhere(r.competence_id, r.min_level)
            fallback = pol.bridging_credit if taught else 0.0
            terms.append(
                (IMPORTANCE_WEIGHT[r.importance], r.competence_id, r.min_level, near, fallback)
            )
        self._terms = terms
        return terms

    def _competence(self, held: Mapping[str, Held], ids: tuple[str, ...]) -> float:
        shortfall = self.policy.shortfall_credit
        earned = 0.0
        terms = self._terms if self._terms is not None else self._prepare()
        for weight, cid, min_level, near, fallback in terms:
            h = held.get(cid) if cid in ids else None
            if h is not None:
                share = 1.0 if h.level >= min_level else shortfall * h.level / min_level
                earned += weight * (share * EVIDENCE_FACTOR[h.evidence])
                continue
            credit = -1.0
            for other, ceiling in near:
                if ceiling > credit and other in ids:
                    credit = ceiling
            earned += weight * (fallback if credit < 0 else credit)
        return earned / self._total

    def __call__(self, p: Profile, floor: float = -1.0) -> float:
        """The bound, rounded up to the scores' 4 places; -1 beyond the accepted radius.

        When the other components alone, with the competence part at its best, keep
        the pair below `floor`, that cheaper bound is returned without looking at
        the competences: the caller skips the pair either way.
        """
        v, pol = self.v, self.policy
        distance = haversine_km(v.lat, v.lon, p.lat, p.lon)
        accepted = min(v.radius_km, p.radius_km)
        if distance > accepted + pol.radius_slack_km:
            return -1.0  # the first hard rule of `evaluate`, computed the same way
        if not self._total:
            return 1.0
        region = pol.region * region_fit(distance, accepted)
        dqr = pol.dqr * dqr_fit(v.min_dqr_level, p.dqr_level)
        available = pol.availability * availability_fit(
            v.start_day, p.available_day, pol.availability_horizon_days
        )
        working = pol.working_time * working_time_fit(v.working_time, p.working_time)
        # Added in `evaluate`'s order: a larger first term never gives a smaller sum.
        at_best = round(
            (pol.competence + region + dqr + available + working) / pol.total_weight + 1e-9, 4
        )
        if at_best < floor:
            return at_best
        competence = pol.competence * self._competence(p.competences, p.competence_ids)
        total = competence + region + dqr + available + working
        # A hair of slack against any difference in the last bit: the bound stays a bound.
        return round(total / pol.total_weight + 1e-9, 4)
