"""What makes a slow vacancy event slow: the matches it emits, its row, the pairs it scores,
and what one emitted match costs.

    .venv/bin/python -m bench.matching.output PROFILES EVENTS [SEED]

Loads PROFILES synthetic profiles as start-up does, opens EVENTS vacancies as events
(the rest of PROFILES / 5 stored and indexed), and prints the p99 with the slowest
1 %'s output, then the CPU of one emitted match's parts over up to 3,000 of them
(see docs/matching.md, "The growth target and the output it asks for").
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from uuid import UUID

from bench.matching.inprocess import pct, populate
from services.matching.domain.engine import Engine
from services.matching.domain.explain import fingerprint, match_payload
from services.matching.domain.model import Profile, Vacancy
from services.matching.domain.policy import Policy
from services.matching.domain.ranking import row_capacity
from services.matching.domain.scoring import Evaluation, evaluate
from services.matching.domain.state import Dirty
from shared.events import EventPayload, MatchFoundV1


def main() -> None:
    """Run one size and print its figures."""
    n, events = int(sys.argv[1]), int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    world = populate(n, events, seed)
    engine, policy = world.engine, world.engine.ranker.policy
    scored = [0]
    ranker_evaluate = engine.ranker.evaluate

    def counted(v: Vacancy, p: Profile) -> Evaluation | None:
        scored[0] += 1
        return ranker_evaluate(v, p)

    engine.ranker.evaluate = counted  # type: ignore[method-assign]
    rows: list[tuple[float, int, int, int]] = []
    found: list[tuple[UUID, UUID]] = []
    for v in world.to_open:
        scored[0] = 0
        began = time.perf_counter()
        emitted = engine.upsert_vacancy(v, Dirty()) or []
        took = time.perf_counter() - began
        row = engine.state.rows.get(v.id)
        rows.append((took, len(emitted), len(row.entries) if row else 0, scored[0]))
        found += [(vid, pid) for vid, pid, e in emitted if isinstance(e, MatchFoundV1)]
    rows.sort()
    slowest = rows[-max(1, len(rows) // 100) :]
    p99 = pct([r[0] for r in rows], 0.99)
    print(
        f"{n:,} profiles, {len(rows):,} vacancy events: p99 {p99:.2f} ms;"
        f" slowest 1 %: {statistics.mean(r[1] for r in slowest):.1f} matches emitted,"
        f" {statistics.mean(r[2] for r in slowest):.1f} row entries,"
        f" {statistics.mean(r[3] for r in slowest):.1f} pairs scored;"
        f" rows full: {sum(r[2] >= row_capacity(policy) for r in rows) / len(rows):.1%}"
    )
    sample = random.Random(1).sample(found, min(3000, len(found)))  # noqa: S311 -- a sample
    per_match(engine, policy, sample)


def per_match(engine: Engine, policy: Policy, pairs: list[tuple[UUID, UUID]]) -> None:
    """CPU µs per emitted match: scoring, building the event, fingerprint, one serialization."""
    if not pairs:
        return
    st = engine.state
    evaluations: dict[tuple[UUID, UUID], Evaluation | None] = {}
    payloads: dict[tuple[UUID, UUID], EventPayload] = {}

    def each(step: Callable[[tuple[UUID, UUID], Vacancy, Profile], object]) -> float:
        began = time.process_time()
        for key in pairs:
            step(key, st.vacancies[key[0]], st.profiles[key[1]])
        return 1e6 * (time.process_time() - began) / len(pairs)

    def score(key: tuple[UUID, UUID], v: Vacancy, p: Profile) -> None:
        evaluations[key] = evaluate(
            v, p, related=engine.ranker.related, teachable=st.offers.teaches, policy=policy
        )

    def build(key: tuple[UUID, UUID], v: Vacancy, p: Profile) -> None:
        ev = evaluations[key]
        assert ev is not None
        payloads[key] = match_payload(ev, v, p, st.offers, policy)

    gc.disable()
    try:
        costs = {
            "scoring the pair": each(score),
            "building the event": each(build),
            "fingerprint": each(lambda key, v, p: fingerprint(payloads[key])),
            "serializing the event once": each(lambda key, v, p: payloads[key].model_dump_json()),
        }
    finally:
        gc.enable()
    print(
        f"one emitted match, CPU µs over {len(pairs):,}: "
        + ", ".join(f"{step} {us:.1f}" for step, us in costs.items())
    )


if __name__ == "__main__":
    main()
