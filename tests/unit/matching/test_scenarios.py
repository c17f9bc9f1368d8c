"""Scenarios from the hub's world, on the engine with the real postal-code table."""

from __future__ import annotations

from services.matching.domain.policy import Policy
from shared.events import Importance, MatchFoundV1, WorkingTime
from tests.unit.matching.builders import GMP, PLANT, dirty, engine, offer, profile, vacancy

MUST, SHOULD = Importance.MUST, Importance.SHOULD


def test_chemikant_in_schkopau_matches_leuna_and_not_kiel() -> None:
    en = engine()
    leuna = vacancy([(PLANT, 3, MUST), (GMP, 2, SHOULD)], "06237", 40)
    kiel = vacancy([(PLANT, 3, MUST), (GMP, 2, SHOULD)], "24103", 40)
    en.upsert_vacancy(leuna, dirty())
    en.upsert_vacancy(kiel, dirty())
    emitted = en.upsert_profile(profile({PLANT: 4, GMP: 2}, "06258", 30), dirty())
    assert emitted is not None
    assert [(vid, type(e)) for vid, _, e in emitted] == [(leuna.id, MatchFoundV1)]
    found = emitted[0][2]
    assert isinstance(found, MatchFoundV1)
    assert found.vacancy_district_code == "15088"  # Saalekreis
    assert found.profile_district_code == "15088"
    assert 5 < found.distance_km < 25


def test_pharmakant_gmp_level_2_against_3_scores_lower_with_gap_and_offer() -> None:
    en = engine()
    course = offer(GMP, 3, online=True, hours=120)
    en.upsert_offer(course, dirty())
    v = vacancy([(GMP, 3, MUST)], "06237")
    en.upsert_vacancy(v, dirty())
    short = en.upsert_profile(profile({GMP: 2}, "06237"), dirty())
    full = en.upsert_profile(profile({GMP: 3}, "06237"), dirty())
    assert short is not None
    assert full is not None
    s, f = short[0][2], full[0][2]
    assert isinstance(s, MatchFoundV1)
    assert isinstance(f, MatchFoundV1)
    assert s.score < f.score
    assert [(g.competence_id, g.required_level, g.held_level) for g in s.gap] == [(GMP, 3, 2)]
    assert f.gap == []
    assert not s.requires_training  # held, only too low
    assert [(o.offer_id, o.closes, o.duration_hours) for o in s.offers] == [(course.id, [GMP], 120)]


def test_gap_names_a_reachable_offer_with_duration() -> None:
    en = engine()
    course = offer(GMP, 4, online=True, hours=160)
    en.upsert_offer(course, dirty())
    en.upsert_vacancy(vacancy([(GMP, 3, MUST)], "06237"), dirty())
    emitted = en.upsert_profile(profile({GMP: 2}, "06237"), dirty())
    assert emitted is not None
    found = emitted[0][2]
    assert isinstance(found, MatchFoundV1)
    assert [(o.offer_id, o.closes, o.duration_hours) for o in found.offers] == [
        (course.id, [GMP], 160)
    ]


def test_both_radii_are_respected() -> None:
    # Leuna → Halle (06108) is about 20 km.
    en = engine()
    en.upsert_vacancy(vacancy([(GMP, 2, MUST)], "06237", radius=10), dirty())
    assert en.upsert_profile(profile({GMP: 3}, "06108", radius=100), dirty()) == []
    en2 = engine()
    en2.upsert_vacancy(vacancy([(GMP, 2, MUST)], "06237", radius=100), dirty())
    assert en2.upsert_profile(profile({GMP: 3}, "06108", radius=10), dirty()) == []
    en3 = engine()
    en3.upsert_vacancy(vacancy([(GMP, 2, MUST)], "06237", radius=30), dirty())
    assert len(en3.upsert_profile(profile({GMP: 3}, "06108", radius=30), dirty()) or []) == 1


def test_working_time_mismatch_is_a_lower_match_not_an_exclusion() -> None:
    en = engine(Policy(min_score=0.3))
    v = vacancy([(GMP, 2, MUST)], working_time=WorkingTime.FULL_TIME)
    en.upsert_vacancy(v, dirty())
    part = en.upsert_profile(profile({GMP: 3}, working_time=WorkingTime.PART_TIME), dirty())
    full = en.upsert_profile(profile({GMP: 3}, working_time=WorkingTime.FULL_TIME), dirty())
    assert part is not None
    assert full is not None
    p, f = part[0][2], full[0][2]
    assert isinstance(p, MatchFoundV1)
    assert isinstance(f, MatchFoundV1)
    assert p.score < f.score
    wt = {c.name: c for c in p.components}["working_time"]
    assert wt.value == 0.0
    assert "part_time wanted" in wt.reason
