"""One size of the in-process benchmark: the matcher's domain layer, no Kafka, no PostgreSQL.

Run as `python -m bench.matching.inprocess PROFILES BRUTE_SAMPLE MAX_EVENTS SEED` in a
process of its own (so its peak RSS is its own); prints one JSON object.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from bench.matching.synthetic import Synthetic
from services.matching.domain.engine import Engine
from services.matching.domain.model import Vacancy
from services.matching.domain.policy import Policy
from services.matching.domain.ranking import rank_key, row_capacity
from services.matching.domain.scoring import evaluate
from services.matching.domain.state import Dirty, Row
from services.matching.service_layer import reference
from services.matching.service_layer.translate import Translator
from shared.reference.geo import PostcodeDirectory


def rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank) in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def brute_row(engine: Engine, v: Vacancy) -> Row:
    """The same row by scoring every stored profile: same function, no index."""
    found: list[tuple[float, UUID]] = []
    ranker = engine.ranker
    teachable = engine.state.offers.teaches
    for p in engine.state.profiles.values():
        # The scoring function itself, not the ranker's per-change memo.
        ev = evaluate(v, p, related=ranker.related, teachable=teachable, policy=ranker.policy)
        if ev is not None:
            found.append((ev.score, p.id))
    found.sort(key=rank_key)
    capacity = row_capacity(engine.ranker.policy)
    return Row(found[:capacity], len(found) > capacity)


def load(engine: Engine, syn: Synthetic, tr: Translator, n: int) -> float:
    """Store n profiles as start-up does (no ranking); seconds taken."""
    began = time.perf_counter()
    for _ in range(n):
        p = tr.profile(syn.profile())
        engine.state.profile_versions[p.id] = p.version
        engine.state.put_profile(p)
    gc.freeze()  # as after start-up: the loaded state is long-lived
    return time.perf_counter() - began


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    began = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - began, result


@dataclass
class Population:
    """A loaded engine, its generators, and the vacancies still to open as events."""

    engine: Engine
    syn: Synthetic
    tr: Translator
    to_open: list[Vacancy]
    load_s: float


def populate(n: int, max_events: int, seed: int) -> Population:
    """n profiles loaded as start-up loads them and n / 5 vacancies, of which all but
    `max_events` are stored and indexed without rows; those are left to open as events."""
    directory = PostcodeDirectory.load()
    syn, tr = Synthetic(seed, directory), Translator(directory, None)
    engine = Engine(Policy(), reference.related_competences())
    load_s = load(engine, syn, tr, n)
    opened = min(n // 5, max_events)
    vacancies = [tr.vacancy(syn.vacancy()) for _ in range(n // 5)]
    for v in vacancies[opened:]:
        engine.state.vacancy_versions[v.id] = v.version
        engine.state.put_vacancy(v)
    return Population(engine, syn, tr, vacancies[:opened], load_s)


def run(n: int, brute_sample: int, max_events: int, seed: int) -> dict[str, Any]:
    """Load, open the vacancies as events, then a mixed stream; compare with brute force."""
    world = populate(n, max_events, seed)
    engine, syn, tr, to_open = world.engine, world.syn, world.tr, world.to_open
    out: dict[str, Any] = {"profiles": n, "vacancies": n // 5, "load_s": world.load_s}
    opened = len(to_open)
    latencies, emitted = [], 0
    began = time.perf_counter()
    for v in to_open:
        took, events = timed(engine.upsert_vacancy, v, Dirty())
        latencies.append(took)
        emitted += len(events)
    out.update(
        opened=opened,
        open_per_s=opened / (time.perf_counter() - began),
        p50_ms=pct(latencies, 0.5),
        p99_ms=pct(latencies, 0.99),
        match_events=emitted,
    )
    out.update(mixed(engine, syn, tr, 2000))
    out.update(compare(engine, to_open[-brute_sample:]))
    out["peak_rss_mib"] = rss_mib()
    return out


def mixed(engine: Engine, syn: Synthetic, tr: Translator, count: int) -> dict[str, Any]:
    """Alternating new vacancies and new profiles, back to back: sustained events/s."""
    vacancy_lat, profile_lat = [], []
    began = time.perf_counter()
    for _ in range(count // 2):
        vacancy_lat.append(timed(engine.upsert_vacancy, tr.vacancy(syn.vacancy()), Dirty())[0])
        profile_lat.append(timed(engine.upsert_profile, tr.profile(syn.profile()), Dirty())[0])
    return {
        "mixed_per_s": count / (time.perf_counter() - began),
        "mixed_vacancy_p99_ms": pct(vacancy_lat, 0.99),
        "mixed_profile_p50_ms": pct(profile_lat, 0.5),
        "mixed_profile_p99_ms": pct(profile_lat, 0.99),
    }


def compare(engine: Engine, sample: list[Vacancy]) -> dict[str, Any]:
    """Index retrieval against brute force on the same vacancies: times and equal rows."""
    indexed, brute, equal = [], [], 0
    for v in sample:
        v = engine.state.vacancies.get(v.id, v)
        engine.ranker.forget()
        t_index, row = timed(engine.ranker.full_row, v)
        t_brute, expected = timed(brute_row, engine, v)
        indexed.append(t_index)
        brute.append(t_brute)
        equal += row.entries == expected.entries
    return {
        "sample": len(sample),
        "rows_equal": equal,
        "row_p50_ms": pct(indexed, 0.5),
        "row_p99_ms": pct(indexed, 0.99),
        "brute_p50_ms": pct(brute, 0.5),
        "brute_p99_ms": pct(brute, 0.99),
    }


if __name__ == "__main__":
    size, sample, cap, seed_ = (int(a) for a in sys.argv[1:5])
    print(json.dumps(run(size, sample, cap, seed_)))
