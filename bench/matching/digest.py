"""A digest of every match event the engine emits for a seeded stream: "results unchanged".

A change meant only to make the matcher faster must not change one emitted byte. Run
this before and after it; the digests must be equal.

    .venv/bin/python -m bench.matching.digest [PROFILES] [VACANCIES] [SEED]

Loads PROFILES synthetic profiles (as start-up does), opens VACANCIES vacancies as
events, then sends half as many new vacancies and new profiles alternately, and
hashes each event's pair, type and JSON in order. Prints the count and the digest.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Sequence
from uuid import UUID

from bench.matching.inprocess import load
from bench.matching.synthetic import Synthetic
from services.matching.domain.engine import Engine
from services.matching.domain.policy import Policy
from services.matching.domain.state import Dirty
from services.matching.service_layer import reference
from services.matching.service_layer.translate import Translator
from shared.events import EventPayload
from shared.reference.geo import PostcodeDirectory


def digest(profiles: int, vacancies: int, seed: int) -> tuple[int, str, float]:
    """(events emitted, hex digest, seconds spent in the engine)."""
    directory = PostcodeDirectory.load()
    syn, tr = Synthetic(seed, directory), Translator(directory, None)
    engine = Engine(Policy(), reference.related_competences())
    load(engine, syn, tr, profiles)
    h, count = hashlib.sha256(), 0

    def take(events: Sequence[tuple[UUID, UUID, EventPayload]] | None) -> None:
        nonlocal count  # None: a stale event, nothing emitted
        for vid, pid, event in events or ():
            h.update(f"{vid}:{pid}:{type(event).__name__}:".encode())
            h.update(event.model_dump_json().encode())
            count += 1

    began = time.perf_counter()
    for _ in range(vacancies):
        take(engine.upsert_vacancy(tr.vacancy(syn.vacancy()), Dirty()))
    for _ in range(vacancies // 2):
        take(engine.upsert_vacancy(tr.vacancy(syn.vacancy()), Dirty()))
        take(engine.upsert_profile(tr.profile(syn.profile()), Dirty()))
    return count, h.hexdigest()[:16], time.perf_counter() - began


def main(argv: list[str]) -> None:
    """Print the digest for the command line's sizes."""
    profiles, vacancies, seed = (int(a) for a in (argv + ["20000", "3000", "11"][len(argv) :]))
    count, hexdigest, seconds = digest(profiles, vacancies, seed)
    print(f"{profiles:,} profiles, {vacancies:,} vacancies, seed {seed}: {count:,} match events,"
          f" digest {hexdigest} (engine {seconds:.2f} s)")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:4])
