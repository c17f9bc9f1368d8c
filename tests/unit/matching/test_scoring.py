"""The score of a pair: components, hard rules, evidence, related competences, the gap."""

from __future__ import annotations

from datetime import date

import pytest

from services.matching.domain.offers import OfferCatalogue
from services.matching.domain.policy import Policy
from services.matching.domain.scoring import Evaluation, evaluate, region_fit
from shared.events import Evidence, Importance, WorkingTime
from tests.unit.matching.builders import GMP, PLANT, SAFETY, offer, profile, vacancy

MUST, SHOULD, NICE = Importance.MUST, Importance.SHOULD, Importance.NICE


def score(v, p, related=None, catalogue=None, policy=None) -> Evaluation | None:  # type: ignore[no-untyped-def]
    cat = catalogue or OfferCatalogue()
    return evaluate(
        v, p, related=related or (lambda _: ()), teachable=cat.teaches, policy=policy or Policy()
    )


def test_full_fit_at_the_same_place_scores_one() -> None:
    ev = score(vacancy([(GMP, 3, MUST)], "06237"), profile({GMP: 4}, "06237"))
    assert ev is not None
    assert ev.score == pytest.approx(1.0)
    assert set(ev.values) == {"competence", "region", "dqr", "availability", "working_time"}


def test_level_shortfall_earns_partial_credit() -> None:
    v = vacancy([(GMP, 3, MUST)])
    full, short = score(v, profile({GMP: 3})), score(v, profile({GMP: 2}))
    assert full is not None
    assert short is not None
    assert short.values["competence"] == pytest.approx(0.5 * 2 / 3)
    assert short.score < full.score


def test_measured_level_weighs_more_than_self_assessed() -> None:
    v = vacancy([(GMP, 3, MUST)])
    measured = score(v, profile({GMP: (3, Evidence.MEASURED)}))
    selfish = score(v, profile({GMP: (3, Evidence.SELF_ASSESSED)}))
    assert measured is not None
    assert selfish is not None
    assert measured.score > selfish.score


def test_outside_the_smaller_radius_is_no_match() -> None:
    # Leuna–Schkopau is about 13 km; the profile accepts only 5 km.
    assert score(vacancy([(GMP, 1, MUST)], radius=40), profile({GMP: 5}, radius=5)) is None
    assert score(vacancy([(GMP, 1, MUST)], radius=5), profile({GMP: 5}, radius=40)) is None
    assert score(vacancy([(GMP, 1, MUST)], radius=20), profile({GMP: 5}, radius=20)) is not None


def test_missing_must_have_is_no_match_unless_an_offer_teaches_it() -> None:
    v = vacancy([(GMP, 3, MUST), (PLANT, 2, SHOULD)])
    p = profile({PLANT: 3})
    assert score(v, p) is None
    catalogue = OfferCatalogue()
    catalogue.put(offer(GMP, 2))
    assert score(v, p, catalogue=catalogue) is None  # teaches too low a level
    catalogue.put(offer(GMP, 3))
    ev = score(v, p, catalogue=catalogue)
    assert ev is not None
    assert ev.requires_training
    direct = score(v, profile({PLANT: 3, GMP: 3}), catalogue=catalogue)
    assert direct is not None
    assert ev.score < direct.score


def test_no_shared_competence_is_no_match_even_if_everything_is_teachable() -> None:
    catalogue = OfferCatalogue()
    catalogue.put(offer(GMP, 5))
    assert score(vacancy([(GMP, 3, MUST)]), profile({PLANT: 3}), catalogue=catalogue) is None


def test_related_competence_earns_bounded_credit() -> None:
    v = vacancy([(GMP, 3, MUST)])
    related = {GMP: ((SAFETY, 0.8),)}
    ev = score(v, profile({SAFETY: 3}), related=lambda c: related.get(c, ()))
    assert ev is not None
    assert ev.values["competence"] == pytest.approx(0.5 * 0.8)
    assert ev.credits[0].via == f"related:{SAFETY}"
    assert ev.values["competence"] < 1.0


def test_working_time_mismatch_lowers_the_score_but_does_not_exclude() -> None:
    v = vacancy([(GMP, 2, MUST)], working_time=WorkingTime.FULL_TIME)
    same = score(v, profile({GMP: 3}, working_time=WorkingTime.FULL_TIME))
    other = score(v, profile({GMP: 3}, working_time=WorkingTime.PART_TIME))
    anything = score(v, profile({GMP: 3}, working_time=WorkingTime.ANY))
    assert same is not None
    assert other is not None
    assert anything is not None
    assert other.values["working_time"] == 0.0
    assert other.score < same.score == anything.score


def test_dqr_and_availability_components() -> None:
    v = vacancy([(GMP, 2, MUST)], min_dqr=4, start=date(2026, 1, 1))
    ok = score(v, profile({GMP: 3}, dqr=4, available=date(2025, 12, 1)))
    late = score(v, profile({GMP: 3}, dqr=3, available=date(2026, 2, 15)))
    assert ok is not None
    assert late is not None
    assert ok.values["dqr"] == 1.0
    assert late.values["dqr"] == 0.5
    assert late.values["availability"] == pytest.approx(1 - 45 / 90)


def test_region_fit_decays_with_distance() -> None:
    assert region_fit(0, 40) == 1.0
    assert region_fit(20, 40) == pytest.approx(0.5)
    assert region_fit(40, 40) == 0.0


def test_below_threshold_is_no_match() -> None:
    strict = Policy(min_score=0.99)
    assert score(vacancy([(GMP, 3, MUST)]), profile({GMP: 3}), policy=strict) is None
