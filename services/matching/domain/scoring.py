"""The score of one vacancy/profile pair: named components, hard rules, the gap.

A pair is eligible only when the distance is within the radius both sides accept
(the smaller one) and every must-have competence is held. The score is the
weighted mean of competence fit and region fit; see docs/matching.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shared.events import (
    CompetenceGap,
    HeldCompetence,
    Importance,
    RequiredCompetence,
    ScoreComponent,
)

IMPORTANCE_WEIGHT: Mapping[Importance, float] = {
    Importance.MUST: 3.0,
    Importance.SHOULD: 2.0,
    Importance.NICE: 1.0,
}
# A competence held below the required level earns this share of the credit
# per level held, so level 2 of a required 3 earns 2/3 * 0.5.
SHORTFALL_CREDIT = 0.5


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the score components and the threshold below which a pair is no match."""

    competence: float = 0.7
    region: float = 0.3
    min_score: float = 0.3


@dataclass(frozen=True, slots=True)
class Scored:
    """The outcome for an eligible pair."""

    score: float
    components: tuple[ScoreComponent, ...]
    gap: tuple[CompetenceGap, ...]


def competence_fit(
    required: Iterable[RequiredCompetence], held: Mapping[str, int]
) -> tuple[float, tuple[CompetenceGap, ...]]:
    """Importance-weighted share of requirements met, with partial credit for a shortfall."""
    earned = total = 0.0
    gaps = []
    for req in required:
        weight = IMPORTANCE_WEIGHT[req.importance]
        level = held.get(req.competence_id, 0)
        total += weight
        if level >= req.min_level:
            earned += weight
        else:
            earned += weight * SHORTFALL_CREDIT * level / req.min_level
            gaps.append(
                CompetenceGap(
                    competence_id=req.competence_id, required_level=req.min_level, held_level=level
                )
            )
    return (earned / total if total else 0.0), tuple(gaps)


def region_fit(distance_km: float, accepted_radius_km: float) -> float:
    """1 at the same place, falling linearly to 0 at the edge of the accepted radius."""
    if accepted_radius_km <= 0:
        return 1.0 if distance_km < 1.0 else 0.0
    return max(0.0, 1.0 - distance_km / accepted_radius_km)


def score_pair(
    *,
    required: tuple[RequiredCompetence, ...],
    held: tuple[HeldCompetence, ...],
    distance_km: float,
    vacancy_radius_km: int,
    profile_radius_km: int,
    weights: Weights,
) -> Scored | None:
    """The scored pair, or None when a hard rule excludes it or it scores below threshold."""
    accepted_radius = min(vacancy_radius_km, profile_radius_km)
    if distance_km > accepted_radius + 0.5:
        return None
    levels = {c.competence_id: c.level for c in held}
    if any(r.importance is Importance.MUST and r.competence_id not in levels for r in required):
        return None
    fit, gaps = competence_fit(required, levels)
    region = region_fit(distance_km, accepted_radius)
    total_weight = weights.competence + weights.region
    score = (weights.competence * fit + weights.region * region) / total_weight
    if score < weights.min_score:
        return None
    components = (
        ScoreComponent(
            name="competence",
            value=round(fit, 4),
            weight=weights.competence,
            reason=f"{len(required) - len(gaps)} of {len(required)} requirements met",
        ),
        ScoreComponent(
            name="region",
            value=round(region, 4),
            weight=weights.region,
            reason=f"{distance_km:.1f} km within the accepted {accepted_radius} km",
        ),
    )
    return Scored(score=round(score, 4), components=components, gap=gaps)
