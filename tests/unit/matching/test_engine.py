"""The engine: incremental found/updated/retracted, top-k, offers, order independence."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from uuid import UUID

import pytest

from services.matching.domain.engine import Engine
from services.matching.domain.model import Profile, Vacancy
from services.matching.domain.policy import Policy
from shared.events import Evidence, Importance, MatchFoundV1, MatchRetractedV1, MatchUpdatedV1
from tests.unit.matching.builders import (
    GMP,
    PLANT,
    dirty,
    engine,
    offer,
    profile,
    types,
    vacancy,
)

MUST, SHOULD = Importance.MUST, Importance.SHOULD


def active(en: Engine) -> set[tuple[UUID, UUID]]:
    return {k for k, r in en.state.matches.items() if r.active}


def test_vacancy_then_profile_then_repeat_emits_once() -> None:
    en = engine()
    v, p = vacancy([(GMP, 3, MUST)]), profile({GMP: 3})
    assert en.upsert_vacancy(v, dirty()) == []
    assert types(en.upsert_profile(p, dirty())) == ["found"]
    assert en.upsert_profile(p, dirty()) is None  # same version again
    assert en.upsert_vacancy(v, dirty()) is None
    assert active(en) == {(v.id, p.id)}


def test_stale_version_is_ignored() -> None:
    en = engine()
    v = vacancy([(GMP, 3, MUST)], version=2)
    en.upsert_vacancy(v, dirty())
    assert en.upsert_vacancy(replace(v, version=1, radius_km=1), dirty()) is None
    assert en.state.vacancies[v.id].radius_km == 40


def test_update_emits_only_pairs_whose_outcome_changed() -> None:
    en = engine()
    v = vacancy([(GMP, 3, MUST)])
    p1, p2 = profile({GMP: 3}), profile({GMP: 4, PLANT: 2})
    en.upsert_vacancy(v, dirty())
    en.upsert_profile(p1, dirty())
    en.upsert_profile(p2, dirty())
    # A competence the vacancy does not ask for changes nothing in the pair's outcome.
    quiet = replace(p2, version=2, competences={**p2.competences, PLANT: p1.competences[GMP]})
    assert en.upsert_profile(quiet, dirty()) == []
    lower = replace(p1, version=2, competences={GMP: replace(p1.competences[GMP], level=2)})
    emitted = en.upsert_profile(lower, dirty())
    assert types(emitted) == ["updated"]
    assert emitted is not None
    event = emitted[0][2]
    assert isinstance(event, MatchUpdatedV1)
    assert event.version == 2
    assert event.profile_version == 2


def test_closing_a_vacancy_retracts_its_matches_with_the_reason() -> None:
    en = engine()
    v = vacancy([(GMP, 3, MUST)])
    en.upsert_vacancy(v, dirty())
    en.upsert_profile(profile({GMP: 3}), dirty())
    emitted = en.close_vacancy(v.id, 2, "vacancy filled", dirty())
    assert types(emitted) == ["retracted"]
    assert emitted is not None
    retracted = emitted[0][2]
    assert isinstance(retracted, MatchRetractedV1)
    assert retracted.reason == "vacancy filled"
    assert retracted.vacancy_district_code == v.district_code
    assert active(en) == set()


def test_erased_profile_has_its_matches_retracted() -> None:
    en = engine()
    v1, v2 = vacancy([(GMP, 3, MUST)]), vacancy([(GMP, 2, MUST)], "06108")
    p = profile({GMP: 3})
    for v in (v1, v2):
        en.upsert_vacancy(v, dirty())
    en.upsert_profile(p, dirty())
    assert len(active(en)) == 2
    emitted = en.remove_profile(p.id, 2, "profile erased", dirty())
    assert types(emitted) == ["retracted", "retracted"]
    assert emitted is not None
    assert {e.reason for _, _, e in emitted if isinstance(e, MatchRetractedV1)} == {
        "profile erased"
    }
    assert p.id not in en.state.profiles
    assert en.upsert_profile(p, dirty()) is None  # an old publication cannot bring it back


def test_top_k_per_vacancy_keeps_the_best_and_refills() -> None:
    en = engine(Policy(top_k_per_vacancy=2))
    v = vacancy([(GMP, 3, MUST)])
    en.upsert_vacancy(v, dirty())
    ps = [profile({GMP: level}) for level in (5, 3, 2)]
    for p in ps:
        en.upsert_profile(p, dirty())
    assert {pid for _, pid in active(en)} == {ps[0].id, ps[1].id}
    emitted = en.remove_profile(ps[0].id, 2, "profile withdrawn", dirty())
    assert sorted(types(emitted)) == ["found", "retracted"]
    assert {pid for _, pid in active(en)} == {ps[1].id, ps[2].id}


def test_top_k_per_profile_caps_a_profiles_matches() -> None:
    en = engine(Policy(top_k_per_profile=1))
    near, far = vacancy([(GMP, 3, MUST)], "06258"), vacancy([(GMP, 3, MUST)], "06108")
    p = profile({GMP: 3})
    en.upsert_vacancy(far, dirty())
    en.upsert_profile(p, dirty())
    assert active(en) == {(far.id, p.id)}
    assert sorted(types(en.upsert_vacancy(near, dirty()))) == ["found", "retracted"]
    assert active(en) == {(near.id, p.id)}


def test_an_offer_turns_a_missing_must_have_into_a_match_requiring_training() -> None:
    en = engine()
    v = vacancy([(GMP, 3, MUST), (PLANT, 2, SHOULD)])
    learner, ready = profile({PLANT: 3}), profile({PLANT: 3, GMP: 3})
    en.upsert_vacancy(v, dirty())
    en.upsert_profile(learner, dirty())
    en.upsert_profile(ready, dirty())
    assert active(en) == {(v.id, ready.id)}
    course = offer(GMP, 3)
    emitted = en.upsert_offer(course, dirty())
    assert types(emitted) == ["found"]
    assert emitted is not None
    found = emitted[0][2]
    assert isinstance(found, MatchFoundV1)
    assert found.requires_training
    assert [o.offer_id for o in found.offers] == [course.id]
    assert en.state.rows[v.id].entries[0][1] == ready.id  # ranked below the direct match
    assert sorted(types(en.remove_offer(course.id, 2, dirty()))) == ["retracted"]


def _final(events: Sequence[tuple[str, object]], policy: Policy) -> set[tuple[UUID, UUID]]:
    en = engine(policy)
    for kind, item in events:
        getattr(en, kind)(item, dirty())
    return active(en)


def test_the_match_set_does_not_depend_on_the_order_of_events() -> None:
    rng = random.Random(7)
    postcodes = ["06237", "06258", "06108", "06217", "06231", "04109"]
    vs = [
        vacancy([(GMP, rng.randint(1, 4), MUST), (PLANT, 2, SHOULD)], rng.choice(postcodes))
        for _ in range(6)
    ]
    ps = [
        profile({GMP: rng.randint(1, 5), PLANT: rng.randint(1, 5)}, rng.choice(postcodes), 50)
        for _ in range(15)
    ]
    events = [("upsert_vacancy", v) for v in vs] + [("upsert_profile", p) for p in ps]
    policy = Policy(top_k_per_vacancy=3, top_k_per_profile=2)
    reference = _final(events, policy)
    assert reference
    for _ in range(5):
        rng.shuffle(events)
        assert _final(events, policy) == reference


def test_emitted_match_events_are_valid_against_their_schema() -> None:
    # Match events are built without re-validation: what is built must validate as is.
    en = engine()
    v = vacancy([(GMP, 3, MUST), (PLANT, 2, SHOULD)])
    en.upsert_offer(offer(GMP, 3), dirty())
    en.upsert_vacancy(v, dirty())
    emitted = [
        *(en.upsert_profile(profile({PLANT: 3}), dirty()) or []),
        *(en.upsert_profile(profile({PLANT: 3, GMP: 2}), dirty()) or []),
    ]
    assert types(emitted) == ["found", "found"]
    for _, _, event in emitted:
        dumped = event.model_dump(mode="json")
        assert type(event).model_validate(dumped).model_dump(mode="json") == dumped
        assert (
            event.model_dump_json()
            == type(event).model_validate_json(event.model_dump_json()).model_dump_json()
        )


def test_a_profile_that_falls_behind_a_truncated_row_makes_way_for_unseen_candidates() -> None:
    # k = 1 keeps a row of two: the others are known only to exist (truncated). A row
    # entry whose score falls below the row's last entry cannot be placed among them.
    en = engine(Policy(top_k_per_vacancy=1))
    a, b, c, d = (profile({GMP: level}) for level in (5, 4, 3, 2))
    for p in (a, b, c, d):
        en.upsert_profile(p, dirty())
    v = vacancy([(GMP, 5, MUST)], "06258")
    en.upsert_vacancy(v, dirty())
    assert active(en) == {(v.id, a.id)}
    en.upsert_profile(profile({GMP: 1}, pid=a.id, version=2), dirty())
    assert active(en) == {(v.id, b.id)}
    en.remove_profile(b.id, 2, "profile withdrawn", dirty())
    assert active(en) == {(v.id, c.id)}  # not the weakened a, which ranks below c and d


def _settled(en: Engine, policy: Policy) -> set[tuple[UUID, UUID]]:
    """The matches a fresh engine reaches from the final state alone."""
    fresh = engine(policy)
    for v in en.state.vacancies.values():
        fresh.upsert_vacancy(v, dirty())
    for p in en.state.profiles.values():
        fresh.upsert_profile(p, dirty())
    return active(fresh)


@pytest.mark.parametrize("seed", range(8))
def test_after_any_history_of_changes_the_matches_are_those_of_the_final_state(seed: int) -> None:
    rng = random.Random(seed)
    postcodes = ["06237", "06258", "06108", "06217", "04109"]
    for k in (1, 2, 3):
        policy = Policy(top_k_per_vacancy=k, top_k_per_profile=2)
        en = engine(policy)
        ps = [profile({GMP: rng.randint(1, 5)}, rng.choice(postcodes), 50) for _ in range(12)]
        vs = [vacancy([(GMP, rng.randint(2, 5), MUST)], rng.choice(postcodes)) for _ in range(4)]
        versions = dict.fromkeys([p.id for p in ps] + [v.id for v in vs], 1)
        for p in ps[:6]:
            en.upsert_profile(p, dirty())
        for v in vs:
            en.upsert_vacancy(v, dirty())
        for p in ps[6:]:
            en.upsert_profile(p, dirty())
        for _ in range(60):
            _random_change(en, rng, ps, vs, versions, postcodes)
            assert active(en) == _settled(en, policy)


def _random_change(
    en: Engine,
    rng: random.Random,
    ps: list[Profile],
    vs: list[Vacancy],
    versions: dict[UUID, int],
    postcodes: list[str],
) -> None:
    """One profile withdrawn or changed, or one vacancy changed or closed."""
    if rng.random() < 0.15:
        v = rng.choice(vs)
        versions[v.id] += 1
        if rng.random() < 0.3:
            en.close_vacancy(v.id, versions[v.id], "vacancy closed", dirty())
            return
        reqs = [(GMP, rng.randint(2, 5), MUST)]
        changed = vacancy(reqs, rng.choice(postcodes), vid=v.id, version=versions[v.id])
        en.upsert_vacancy(changed, dirty())
        return
    p = rng.choice(ps)
    versions[p.id] += 1
    if rng.random() < 0.2:
        en.remove_profile(p.id, versions[p.id], "profile withdrawn", dirty())
        return
    held: dict[str, int | tuple[int, Evidence]] = {GMP: rng.randint(1, 5)}
    place = rng.choice(postcodes)
    en.upsert_profile(profile(held, place, 50, pid=p.id, version=versions[p.id]), dirty())
