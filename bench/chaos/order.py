"""Does the matcher's engine reach the same matches whatever the order events arrive in?

The fault run's reference assumes it (docs/matching.md: ranks depend only on the
current state). This applies the fault run's own posting stream to the engine
in-process three times — in arrival order, profiles first, and shuffled — and prints
how many active pairs differ; no servers are needed.

    .venv/bin/python -m bench.chaos.order [--postings 2500] [--seed 11]
"""

from __future__ import annotations

import argparse
import random
import uuid

from bench.chaos.expected import Pair, apply
from bench.chaos.run import REGION
from bench.hub.postings import Postings, region_postcodes
from bench.matching.synthetic import Synthetic
from services.matching.bootstrap import policy_of
from services.matching.config import MatchingSettings
from services.matching.domain.engine import Engine
from services.matching.domain.state import Dirty
from services.matching.service_layer import reference
from services.matching.service_layer.translate import Translator
from shared.events import EventPayload, ProfilePublishedV1, VacancyOpenedV1
from shared.reference.geo import PostcodeDirectory

PERSON_ONLY = ("reference", "consent")


def events(n: int, seed: int, directory: PostcodeDirectory) -> list[EventPayload]:
    """The events the profiles service would publish for the first n postings."""
    postings, org = (
        Postings(Synthetic(seed, directory), region_postcodes(directory, REGION)),
        uuid.uuid4(),
    )
    out: list[EventPayload] = []
    for _ in range(n):
        p = postings.next()
        if p.kind == "vacancy":
            body = {**p.body, "vacancy_id": uuid.uuid4(), "version": 1, "organisation_id": org}
            out.append(VacancyOpenedV1.model_validate(body))
        else:
            person = {k: v for k, v in p.body["people"][0].items() if k not in PERSON_ONLY}
            body = {**person, "profile_id": uuid.uuid4(), "version": 1, "organisation_id": org}
            out.append(ProfilePublishedV1.model_validate(body))
    return out


def matches(order: list[EventPayload], translate: Translator) -> dict[Pair, float]:
    """Active pairs after applying the events in this order."""
    engine = Engine(policy_of(MatchingSettings()), reference.related_competences())
    active: dict[Pair, float] = {}
    for e in order:
        if isinstance(e, VacancyOpenedV1):
            emitted = engine.upsert_vacancy(translate.vacancy(e), Dirty())
        else:
            assert isinstance(e, ProfilePublishedV1)
            emitted = engine.upsert_profile(translate.profile(e), Dirty())
        for vid, pid, event in emitted or []:
            apply(active, (str(vid), str(pid)), event)
    return active


def main() -> None:
    """Print the differences between three orders of the same events."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=11)
    a = parser.parse_args()
    directory = PostcodeDirectory.load()
    stream, translate = events(a.postings, a.seed, directory), Translator(directory, None)
    shuffled = stream[:]
    random.Random(a.seed).shuffle(shuffled)  # noqa: S311 - an order, not a secret
    first: list[EventPayload] = [e for e in stream if isinstance(e, ProfilePublishedV1)]
    first += [e for e in stream if not isinstance(e, ProfilePublishedV1)]
    arrival = matches(stream, translate)
    for name, order in (("profiles first", first), ("shuffled", shuffled)):
        other = matches(order, translate)
        differ = sorted(set(arrival.items()) ^ set(other.items()))
        print(f"{a.postings} postings: arrival order {len(arrival)} active pairs, {name}"
              f" {len(other)}; {len(differ)} pair states differ")  # fmt: skip
        for pair, score in differ[:3]:
            print(f"  {pair} arrival {arrival.get(pair)} {name} {other.get(pair)} ({score})")


if __name__ == "__main__":
    main()
