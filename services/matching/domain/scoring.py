"""The score of one vacancy/profile pair: named components, hard rules, the gap.

Hard rules (no match): the distance exceeds the radius both sides accept; a
must-have competence is neither held, nor covered by a related competence, nor
taught by a reachable training offer; no requirement earns any credit. The score
is the weighted mean of five components; see docs/matching.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from services.matching.domain.model import EVIDENCE_FACTOR, Profile, Requirement, Vacancy
from services.matching.domain.policy import IMPORTANCE_WEIGHT, Policy
from shared.events import Importance, WorkingTime
from shared.reference.geo import haversine_km

Related = Callable[[str], tuple[tuple[str, float], ...]]
Teachable = Callable[[str, int, Profile], bool]


class Credit(NamedTuple):
    """How one requirement is met: directly, through a related competence, by training, or not.

    A named tuple rather than a frozen dataclass: one is built per requirement of every
    pair scored, and a frozen dataclass's constructor costs several times as much.
    """

    requirement: Requirement
    held_level: int
    credit: float
    via: str  # "direct", "related:<id>", "training" or "none"


@dataclass(frozen=True, slots=True)
class Evaluation:
    """An eligible pair's score and what it rests on."""

    score: float
    distance_km: float
    accepted_radius_km: int
    values: Mapping[str, float]
    credits: tuple[Credit, ...]
    requires_training: bool


def _credit(
    req: Requirement,
    p: Profile,
    ids: tuple[str, ...],
    related: Related,
    teachable: Teachable,
    pol: Policy,
) -> Credit:
    held = p.competences.get(req.competence_id)
    if held is not None:
        share = (
            1.0
            if held.level >= req.min_level
            else pol.shortfall_credit * held.level / req.min_level
        )
        return Credit(req, held.level, share * EVIDENCE_FACTOR[held.evidence], "direct")
    best: Credit | None = None
    for other, similarity in related(req.competence_id):
        # Most related skills are not held: a tuple test is cheaper than a lookup.
        near = p.competences.get(other) if other in ids else None
        if near is None:
            continue
        share = pol.related_credit * similarity * min(1.0, near.level / req.min_level)
        share *= EVIDENCE_FACTOR[near.evidence]
        if best is None or share > best.credit:
            best = Credit(req, 0, share, f"related:{other}")
    if best is not None:
        return best
    if teachable(req.competence_id, req.min_level, p):
        return Credit(req, 0, pol.bridging_credit, "training")
    return Credit(req, 0, 0.0, "none")


def region_fit(distance_km: float, accepted_radius_km: float) -> float:
    """1 at the same place, falling linearly to 0 at the edge of the accepted radius."""
    if accepted_radius_km <= 0:
        return 1.0 if distance_km < 1.0 else 0.0
    return max(0.0, 1.0 - distance_km / accepted_radius_km)


def dqr_fit(required: int | None, held: int | None) -> float:
    """1 when the DQR level suffices or either side leaves it open; -0.5 per level short."""
    if required is None or held is None or held >= required:
        return 1.0
    return max(0.0, 1.0 - 0.5 * (required - held))


def availability_fit(start_day: int | None, available_day: int | None, horizon: int) -> float:
    """1 when the person is available by the start; falls to 0 at `horizon` days late."""
    if start_day is None or available_day is None or available_day <= start_day:
        return 1.0
    return max(0.0, 1.0 - (available_day - start_day) / horizon)


def working_time_fit(offered: WorkingTime | None, wanted: WorkingTime | None) -> float:
    """1 when they agree or either side accepts any; 0 for full time against part time."""
    if offered in (None, WorkingTime.ANY) or wanted in (None, WorkingTime.ANY):
        return 1.0
    return 1.0 if offered == wanted else 0.0


def evaluate(
    v: Vacancy, p: Profile, *, related: Related, teachable: Teachable, policy: Policy
) -> Evaluation | None:
    """The evaluated pair, or None when a hard rule excludes it or it scores below threshold."""
    distance = haversine_km(v.lat, v.lon, p.lat, p.lon)
    accepted = min(v.radius_km, p.radius_km)
    if distance > accepted + policy.radius_slack_km:
        return None
    ids, met = p.competence_ids, []
    # Sums and flags in one pass; the additions run in requirement order, as before.
    total = earned = 0.0
    only_training, training = True, False
    for r in v.requirements:
        c = _credit(r, p, ids, related, teachable, policy)
        must = r.importance is Importance.MUST
        if c.via == "none" and must:
            return None
        met.append(c)
        weight = IMPORTANCE_WEIGHT[r.importance]
        total += weight
        earned += weight * c.credit
        if c.via == "training":
            training = training or must
        else:
            only_training = False
    if earned <= 0 or only_training:
        return None
    competence = earned / total
    region = region_fit(distance, accepted)
    dqr = dqr_fit(v.min_dqr_level, p.dqr_level)
    available = availability_fit(v.start_day, p.available_day, policy.availability_horizon_days)
    working = working_time_fit(v.working_time, p.working_time)
    # Component order fixed (as in docs/matching.md): replicas add in the same order.
    weighted = (
        competence * policy.competence
        + region * policy.region
        + dqr * policy.dqr
        + available * policy.availability
        + working * policy.working_time
    )
    score = round(weighted / policy.total_weight, 4)
    if score < policy.min_score:
        return None
    values = {
        "competence": competence,
        "region": region,
        "dqr": dqr,
        "availability": available,
        "working_time": working,
    }
    return Evaluation(score, distance, accepted, values, tuple(met), training)
