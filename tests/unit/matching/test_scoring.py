"""The score of a pair: components, hard rules, the gap."""

from __future__ import annotations

import pytest

from services.matching.domain.scoring import Weights, competence_fit, region_fit, score_pair
from shared.events import HeldCompetence, Importance, RequiredCompetence

GMP = "esco:gmp"
CLEANING = "esco:industrial-cleaning"
W = Weights(competence=0.7, region=0.3, min_score=0.3)


def req(cid: str, level: int, importance: Importance = Importance.MUST) -> RequiredCompetence:
    return RequiredCompetence(competence_id=cid, min_level=level, importance=importance)


def held(cid: str, level: int) -> HeldCompetence:
    return HeldCompetence(competence_id=cid, level=level)


def test_full_fit_nearby_scores_close_to_one() -> None:
    scored = score_pair(
        required=(req(GMP, 3),),
        held=(held(GMP, 4),),
        distance_km=0.0,
        vacancy_radius_km=40,
        profile_radius_km=30,
        weights=W,
    )
    assert scored is not None
    assert scored.score == pytest.approx(1.0)
    assert scored.gap == ()
    assert {c.name for c in scored.components} == {"competence", "region"}


def test_level_shortfall_scores_lower_and_names_the_gap() -> None:
    full = score_pair(
        required=(req(GMP, 3),),
        held=(held(GMP, 3),),
        distance_km=10.0,
        vacancy_radius_km=40,
        profile_radius_km=40,
        weights=W,
    )
    short = score_pair(
        required=(req(GMP, 3),),
        held=(held(GMP, 2),),
        distance_km=10.0,
        vacancy_radius_km=40,
        profile_radius_km=40,
        weights=W,
    )
    assert full is not None
    assert short is not None
    assert short.score < full.score
    assert [(g.competence_id, g.required_level, g.held_level) for g in short.gap] == [(GMP, 3, 2)]


def test_outside_the_smaller_radius_is_no_match() -> None:
    assert (
        score_pair(
            required=(req(GMP, 1),),
            held=(held(GMP, 5),),
            distance_km=35.0,
            vacancy_radius_km=40,
            profile_radius_km=30,
            weights=W,
        )
        is None
    )


def test_missing_must_have_is_no_match_but_missing_nice_to_have_is() -> None:
    required = (req(GMP, 2), req(CLEANING, 2, Importance.NICE))
    assert (
        score_pair(
            required=required,
            held=(held(CLEANING, 3),),
            distance_km=1.0,
            vacancy_radius_km=40,
            profile_radius_km=40,
            weights=W,
        )
        is None
    )
    scored = score_pair(
        required=required,
        held=(held(GMP, 3),),
        distance_km=1.0,
        vacancy_radius_km=40,
        profile_radius_km=40,
        weights=W,
    )
    assert scored is not None
    assert [g.competence_id for g in scored.gap] == [CLEANING]


def test_competence_fit_weights_by_importance() -> None:
    must_met, _ = competence_fit([req(GMP, 2), req(CLEANING, 2, Importance.NICE)], {GMP: 2})
    nice_met, _ = competence_fit([req(GMP, 2, Importance.NICE), req(CLEANING, 2)], {GMP: 2})
    assert must_met == pytest.approx(3 / 4)
    assert nice_met == pytest.approx(1 / 4)


def test_region_fit_decays_with_distance() -> None:
    assert region_fit(0, 40) == 1.0
    assert region_fit(20, 40) == pytest.approx(0.5)
    assert region_fit(40, 40) == 0.0
    assert region_fit(0, 0) == 1.0


def test_below_threshold_is_no_match() -> None:
    strict = Weights(competence=0.7, region=0.3, min_score=0.95)
    assert (
        score_pair(
            required=(req(GMP, 3),),
            held=(held(GMP, 3),),
            distance_km=20.0,
            vacancy_radius_km=40,
            profile_radius_km=40,
            weights=strict,
        )
        is None
    )
