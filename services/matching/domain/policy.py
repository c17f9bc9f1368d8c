"""Weights and thresholds of the score: configuration with documented defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.events import Importance

IMPORTANCE_WEIGHT: Mapping[Importance, float] = {
    Importance.MUST: 3.0,
    Importance.SHOULD: 2.0,
    Importance.NICE: 1.0,
}


@dataclass(frozen=True, slots=True)
class Policy:
    """Everything that tunes the score and the top-k cut; defaults as in docs/matching.md."""

    competence: float = 0.6
    region: float = 0.2
    dqr: float = 0.08
    availability: float = 0.06
    working_time: float = 0.06
    min_score: float = 0.3
    top_k_per_vacancy: int = 50
    top_k_per_profile: int = 20
    # A held level below the minimum earns this share, scaled by level held / required.
    shortfall_credit: float = 0.5
    related_credit: float = 0.5
    bridging_credit: float = 0.2
    # Days late after the start date at which the availability component reaches 0.
    availability_horizon_days: int = 90
    # Distance in km tolerated beyond the radius (postal-code centres are approximate).
    radius_slack_km: float = 0.5
    # Offers named per gap competence.
    offers_per_gap: int = 3

    @property
    def total_weight(self) -> float:
        """Sum of the component weights (the score is their weighted mean)."""
        return self.competence + self.region + self.dqr + self.availability + self.working_time
