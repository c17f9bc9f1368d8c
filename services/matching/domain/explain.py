"""Turn an evaluation into what a match event carries: components, gap, offers.

Every value here comes from the engine's own typed computation, so the event models
are constructed without re-validation (`model_construct`), which cost more than the
scoring itself; a unit test validates what is built against the event schema.
"""

from __future__ import annotations

import functools
import hashlib
from uuid import UUID

from services.matching.domain.model import Profile, Vacancy
from services.matching.domain.offers import OfferCatalogue
from services.matching.domain.policy import Policy
from services.matching.domain.scoring import Credit, Evaluation
from shared.events import (
    BridgingOffer,
    CompetenceGap,
    EventPayload,
    MatchFoundV1,
    MatchUpdatedV1,
    ScoreComponent,
)

_VERSIONS = {"version", "vacancy_version", "profile_version"}


def _competence_reason(credits: tuple[Credit, ...]) -> str:
    met = sum(1 for c in credits if c.via == "direct" and c.held_level >= c.requirement.min_level)
    related = sum(1 for c in credits if c.via.startswith("related:"))
    training = sum(1 for c in credits if c.via == "training")
    parts = [f"{met} of {len(credits)} requirements met"]
    if related:
        parts.append(f"{related} by a related competence")
    if training:
        parts.append(f"{training} teachable by a listed offer")
    return "; ".join(parts)


@functools.lru_cache(maxsize=4096)
def _component(name: str, value: float, weight: float, reason: str) -> ScoreComponent:
    # The dqr, availability and working-time parts take few distinct values: one
    # frozen object each, shared by the events that carry it.
    return ScoreComponent.model_construct(name=name, value=value, weight=weight, reason=reason)


@functools.lru_cache(maxsize=16_384)
def _gap(competence_id: str, required_level: int, held_level: int) -> CompetenceGap:
    return CompetenceGap.model_construct(
        competence_id=competence_id, required_level=required_level, held_level=held_level
    )


def components(ev: Evaluation, v: Vacancy, p: Profile, policy: Policy) -> list[ScoreComponent]:
    """The named parts of the score with a reason each."""
    values = ev.values
    available = values["availability"] >= 1
    return [
        ScoreComponent.model_construct(
            name="competence",
            value=round(values["competence"], 4),
            weight=policy.competence,
            reason=_competence_reason(ev.credits),
        ),
        ScoreComponent.model_construct(
            name="region",
            value=round(values["region"], 4),
            weight=policy.region,
            reason=f"{ev.distance_km:.1f} km within the accepted {ev.accepted_radius_km} km",
        ),
        _component(
            "dqr",
            round(values["dqr"], 4),
            policy.dqr,
            f"DQR {p.dqr_level or 'unknown'} for a required {v.min_dqr_level or 'any'}",
        ),
        _component(
            "availability",
            round(values["availability"], 4),
            policy.availability,
            "available by the start" if available else "available after the start",
        ),
        _component(
            "working_time",
            round(values["working_time"], 4),
            policy.working_time,
            f"{(v.working_time or 'any')} offered, {(p.working_time or 'any')} wanted",
        ),
    ]


def gap(ev: Evaluation) -> list[CompetenceGap]:
    """Every requirement not met directly at its level."""
    out = []
    for c in ev.credits:
        required = c.requirement.min_level
        if c.held_level < required:
            out.append(_gap(c.requirement.competence_id, required, c.held_level))
    return out


def bridging(
    gaps: list[CompetenceGap], p: Profile, catalogue: OfferCatalogue, policy: Policy
) -> list[BridgingOffer]:
    """Offers that teach a gap competence to the level needed, shortest first."""
    closes: dict[UUID, list[str]] = {}
    for g in gaps:
        for offer in catalogue.teaching(g.competence_id, g.required_level, p)[
            : policy.offers_per_gap
        ]:
            closes.setdefault(offer.id, []).append(g.competence_id)
    found = [catalogue.get(oid) for oid in closes]
    return [
        BridgingOffer.model_construct(
            offer_id=o.id,
            title=o.title,
            closes=closes[o.id],
            duration_hours=o.duration_hours,
            dqr_level=o.dqr_level,
            postcode=o.postcode,
            online=o.online,
        )
        for o in sorted((o for o in found if o is not None), key=lambda o: (o.duration_hours, o.id))
    ]


def match_payload(
    ev: Evaluation,
    v: Vacancy,
    p: Profile,
    catalogue: OfferCatalogue,
    policy: Policy,
    *,
    kind: type[MatchFoundV1 | MatchUpdatedV1] = MatchFoundV1,
    version: int = 1,
) -> MatchFoundV1 | MatchUpdatedV1:
    """The full state of a match as a found (or updated) event with the given version."""
    gaps = gap(ev)
    return kind.model_construct(
        vacancy_id=v.id,
        profile_id=p.id,
        version=version,
        vacancy_version=v.version,
        profile_version=p.version,
        score=ev.score,
        distance_km=round(ev.distance_km, 2),
        components=components(ev, v, p, policy),
        gap=gaps,
        requires_training=ev.requires_training,
        offers=bridging(gaps, p, catalogue, policy),
        occupation=v.occupation,
        vacancy_organisation_id=v.organisation_id,
        profile_organisation_id=p.organisation_id,
        vacancy_district_code=v.district_code,
        profile_district_code=p.district_code,
    )


def fingerprint(payload: EventPayload) -> str:
    """A digest of a match's outcome; versions excluded so only a changed outcome differs."""
    # pydantic's serializer writes fields in declaration order: stable across replicas.
    return hashlib.sha256(payload.model_dump_json(exclude=_VERSIONS).encode()).hexdigest()[:32]
