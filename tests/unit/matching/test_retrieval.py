"""Retrieval through the index finds exactly the rows that scoring every profile finds."""

from __future__ import annotations

import random
from uuid import UUID

from services.matching.domain.engine import Engine
from services.matching.domain.model import Vacancy
from services.matching.domain.policy import Policy
from services.matching.domain.ranking import rank_key, row_capacity
from services.matching.domain.related import RelatedCompetences
from shared.events import Evidence, Importance
from tests.unit.matching.builders import GMP, PLANT, SAFETY, dirty, engine, offer, profile, vacancy

SKILLS = [GMP, PLANT, SAFETY] + [f"http://data.europa.eu/esco/skill/s{i}" for i in range(6)]
PLACES = ["06237", "06258", "06108", "04109", "01067", "24103"]
RELATED = RelatedCompetences({SKILLS[3]: ((SKILLS[4], 0.6),), SKILLS[4]: ((SKILLS[3], 0.6),)})


def brute(en: Engine, v: Vacancy) -> list[tuple[float, UUID]]:
    found = []
    for p in en.state.profiles.values():
        ev = en.ranker.evaluate(v, p)
        if ev is not None:
            found.append((ev.score, p.id))
    return sorted(found, key=rank_key)[: row_capacity(en.ranker.policy)]


def test_rows_equal_brute_force_with_related_competences_and_offers() -> None:
    rng = random.Random(3)
    en = engine(Policy(top_k_per_vacancy=5), RELATED)
    en.upsert_offer(offer(SKILLS[1], 4), dirty())  # makes one must-have teachable
    for _ in range(150):
        held: dict[str, int | tuple[int, Evidence]] = {
            s: rng.randint(1, 5) for s in rng.sample(SKILLS, rng.randint(1, 5))
        }
        p = profile(held, rng.choice(PLACES), rng.choice([20, 50, 300]))
        en.state.put_profile(p)
    for _ in range(40):
        reqs = [
            (s, rng.randint(1, 4), rng.choice(list(Importance)))
            for s in rng.sample(SKILLS, rng.randint(1, 4))
        ]
        v = vacancy(reqs, rng.choice(PLACES), rng.choice([20, 60, 400]))
        assert en.ranker.full_row(v).entries == brute(en, v)


def test_an_offer_event_reranks_only_vacancies_requiring_what_it_teaches() -> None:
    en = engine()
    needs_gmp = vacancy([(GMP, 3, Importance.MUST)])
    needs_plant = vacancy([(PLANT, 2, Importance.MUST)])
    for v in (needs_gmp, needs_plant):
        en.upsert_vacancy(v, dirty())
    touched = dirty()
    en.upsert_offer(offer(GMP, 3), touched)
    assert touched.rows == {needs_gmp.id}
    assert en.ranker.vacancies_teaching({GMP, SAFETY}) == {needs_gmp.id}
    en.close_vacancy(needs_gmp.id, 2, "vacancy closed", dirty())
    assert en.ranker.vacancies_teaching({GMP}) == set()


def test_related_competences_are_symmetric_even_from_a_one_sided_table() -> None:
    related = RelatedCompetences({SKILLS[3]: ((SKILLS[4], 0.6), (SKILLS[5], 0.55))})
    assert related(SKILLS[4]) == ((SKILLS[3], 0.6),)
    assert related(SKILLS[5]) == ((SKILLS[3], 0.55),)
    assert related(SKILLS[3]) == ((SKILLS[4], 0.6), (SKILLS[5], 0.55))


def test_a_match_through_a_related_competence_does_not_depend_on_arrival_order() -> None:
    # The vacancy requires s3; the person holds s4, which the table lists only under s3.
    one_sided = RelatedCompetences({SKILLS[3]: ((SKILLS[4], 0.9),)})
    v = vacancy([(SKILLS[3], 2, Importance.MUST)])
    p = profile({SKILLS[4]: 3})
    vacancy_first, profile_first = engine(related=one_sided), engine(related=one_sided)
    vacancy_first.upsert_vacancy(v, dirty())
    vacancy_first.upsert_profile(p, dirty())
    profile_first.upsert_profile(p, dirty())
    profile_first.upsert_vacancy(v, dirty())
    for en in (vacancy_first, profile_first):
        assert {k for k, r in en.state.matches.items() if r.active} == {(v.id, p.id)}
