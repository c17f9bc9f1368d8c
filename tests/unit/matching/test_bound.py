"""The per-candidate score bound never falls below the score, or the scan would skip a match."""

from __future__ import annotations

import random
from datetime import date, timedelta

from services.matching.domain.bound import ScoreBound
from services.matching.domain.engine import Engine
from services.matching.domain.model import Vacancy
from services.matching.domain.policy import Policy
from services.matching.domain.ranking import rank_key, row_capacity
from services.matching.domain.related import RelatedCompetences
from services.matching.domain.scoring import evaluate
from shared.events import Evidence, Importance, WorkingTime
from tests.unit.matching.builders import dirty, engine, offer, profile, vacancy

SKILLS = [f"http://data.europa.eu/esco/skill/b{i}" for i in range(8)]
PLACES = ["06237", "06258", "06108", "04109", "06217", "06242"]
RELATED = RelatedCompetences(
    {SKILLS[0]: ((SKILLS[1], 0.9), (SKILLS[2], 0.6)), SKILLS[3]: ((SKILLS[4], 0.75),)}
)
DAY = date(2026, 1, 1)


def _random_engine(rng: random.Random, top_k: int) -> Engine:
    en = engine(Policy(top_k_per_vacancy=top_k), RELATED)
    en.upsert_offer(offer(SKILLS[5], 3), dirty())
    en.upsert_offer(offer(SKILLS[0], 2), dirty())
    for _ in range(300):
        held: dict[str, int | tuple[int, Evidence]] = {
            s: (rng.randint(1, 5), rng.choice(list(Evidence)))
            for s in rng.sample(SKILLS, rng.randint(1, 5))
        }
        en.state.put_profile(
            profile(
                held,
                rng.choice(PLACES),
                rng.choice([5, 15, 30, 60]),
                dqr=rng.choice([None, 2, 3, 5]),
                available=rng.choice([None, DAY + timedelta(days=rng.randint(0, 150))]),
                working_time=rng.choice([None, *WorkingTime]),
            )
        )
    return en


def _random_vacancies(rng: random.Random, count: int) -> list[Vacancy]:
    return [
        vacancy(
            [
                (s, rng.randint(1, 5), rng.choice(list(Importance)))
                for s in rng.sample(SKILLS, rng.randint(1, 5))
            ],
            rng.choice(PLACES),
            rng.choice([10, 30, 80]),
            min_dqr=rng.choice([None, 3, 4]),
            start=rng.choice([None, DAY + timedelta(days=rng.randint(0, 60))]),
            working_time=rng.choice([None, *WorkingTime]),
        )
        for _ in range(count)
    ]


def test_the_bound_is_never_below_the_score_of_an_eligible_pair() -> None:
    rng = random.Random(11)
    en = _random_engine(rng, 50)
    st, pol = en.state, en.ranker.policy
    checked = early = 0
    for v in _random_vacancies(rng, 60):
        bound = ScoreBound(v, RELATED, st.offers.teaches_anywhere, pol)
        for p in st.profiles.values():
            ev = evaluate(v, p, related=RELATED, teachable=st.offers.teaches, policy=pol)
            if ev is None:
                continue
            checked += 1
            assert bound(p) >= ev.score, (v, p, ev)
            # With a floor, a bound cut short is still a bound, and below the floor.
            floor = rng.uniform(0.3, 1.0)
            assert bound(p, floor) >= ev.score, (v, p, ev, floor)
            assert bound(p, floor) == bound(p) or bound(p, floor) < floor
            early += bound(p, floor) != bound(p)
    assert checked > 1000  # the draw covers related, shortfall, training and direct credit
    assert early > 100  # and the cheaper bound decides often enough to be checked


def test_the_bound_is_tight_for_a_direct_match_and_rejects_beyond_the_radius() -> None:
    v = vacancy([(SKILLS[6], 3, Importance.MUST)], "06237", 40)
    pol = Policy()
    bound = ScoreBound(v, RELATED, lambda cid, level: False, pol)
    near = profile({SKILLS[6]: (2, Evidence.SELF_ASSESSED)}, "06258", 30)
    ev = evaluate(v, near, related=RELATED, teachable=lambda c, lvl, p: False, policy=pol)
    assert ev is not None
    assert ev.score <= bound(near) <= ev.score + 0.0001
    assert bound(profile({SKILLS[6]: 3}, "24103", 30)) == -1.0


def test_rows_equal_brute_force_when_the_bound_skips_candidates() -> None:
    # Small rows fill early, so most candidates are judged by the bound alone.
    rng = random.Random(5)
    en = _random_engine(rng, 3)
    for v in _random_vacancies(rng, 80):
        expected = []
        for p in en.state.profiles.values():
            ev = en.ranker.evaluate(v, p)
            if ev is not None:
                expected.append((ev.score, p.id))
        expected.sort(key=rank_key)
        row = en.ranker.full_row(v)
        assert row.entries == expected[: row_capacity(en.ranker.policy)]
        assert row.truncated or len(expected) <= row_capacity(en.ranker.policy)


def test_a_holder_of_a_related_skill_is_read_while_its_ceiling_can_still_enter() -> None:
    # The vacancy needs b3 at level 4; b4 is related (0.75), so its holders earn at
    # most 0.375 of that must-have. Two weak direct holders fill a row of two; the
    # holder of b4, 10 km away, still outranks them and must not be cut off.
    en = engine(Policy(top_k_per_vacancy=1), RELATED)
    weak = [profile({SKILLS[3]: (1, Evidence.SELF_ASSESSED)}, "06237", 30) for _ in range(2)]
    related = profile({SKILLS[4]: (5, Evidence.MEASURED)}, "06258", 30)
    for p in (*weak, related):
        en.state.put_profile(p)
    v = vacancy([(SKILLS[3], 4, Importance.MUST)], "06237", 40)
    row = en.ranker.full_row(v)
    assert row.entries[0][1] == related.id
    assert len(row.entries) == 2
    assert row.truncated
