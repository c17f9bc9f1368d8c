"""The matches a fault-free run reaches: the matcher's own engine, in-process, over the
final state of every input on Kafka. Ranks depend only on the current state, not on the
order events arrived in (docs/matching.md), so this is the reference for any run."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from services.matching.bootstrap import policy_of
from services.matching.config import MatchingSettings
from services.matching.domain.engine import Engine
from services.matching.domain.state import Dirty
from services.matching.service_layer import reference
from services.matching.service_layer.translate import Translator
from shared.events import (
    EventPayload,
    MatchFoundV1,
    MatchRetractedV1,
    MatchUpdatedV1,
    ProfilePublishedV1,
    ProfileUpdatedV1,
    VacancyOpenedV1,
    VacancyUpdatedV1,
)
from shared.events.registry import EVENT_TYPES, decode
from shared.reference.geo import PostcodeDirectory

Pair = tuple[str, str]


def latest(records: Iterable[Any]) -> dict[str, EventPayload]:
    """The highest-version payload per record key (tombstones and unknown types skipped)."""
    found: dict[str, EventPayload] = {}
    for record in records:
        if record.value is None:
            continue
        _, payload = decode(record.value, EVENT_TYPES)
        key = record.key.decode()
        if key not in found or found[key].version < payload.version:
            found[key] = payload
    return found


def expected_matches(
    vacancies: dict[str, EventPayload], profiles: dict[str, EventPayload]
) -> dict[Pair, float]:
    """Active pairs and their scores after applying every open vacancy and published profile."""
    engine = Engine(policy_of(MatchingSettings()), reference.related_competences())
    translate = Translator(PostcodeDirectory.load(), None)
    active: dict[Pair, float] = {}
    emitted = []
    for p in profiles.values():
        if isinstance(p, ProfilePublishedV1 | ProfileUpdatedV1):
            emitted += engine.upsert_profile(translate.profile(p), Dirty()) or []
    for v in vacancies.values():
        if isinstance(v, VacancyOpenedV1 | VacancyUpdatedV1):
            emitted += engine.upsert_vacancy(translate.vacancy(v), Dirty()) or []
    for vid, pid, event in emitted:
        apply(active, (str(vid), str(pid)), event)
    return active


REPLAY = """
SELECT 'v' AS side, body::text, seq FROM matching.vacancies WHERE body IS NOT NULL
UNION ALL
SELECT 'p', body::text, seq FROM matching.profiles WHERE body IS NOT NULL
ORDER BY seq
"""


def replayed_matches(rows: Iterable[tuple[str, str]]) -> dict[Pair, float]:
    """Active pairs when the engine applies the inputs in the order the service applied them.

    Equal to the service's matches but not to `expected_matches`: the engine's result
    depends on arrival order (a matcher issue), not on the faults.
    """
    engine = Engine(policy_of(MatchingSettings()), reference.related_competences())
    translate = Translator(PostcodeDirectory.load(), None)
    active: dict[Pair, float] = {}
    for side, body in rows:
        if side == "v":
            emitted = engine.upsert_vacancy(
                translate.vacancy(VacancyOpenedV1.model_validate_json(body)), Dirty()
            )
        else:
            emitted = engine.upsert_profile(
                translate.profile(ProfilePublishedV1.model_validate_json(body)), Dirty()
            )
        for vid, pid, event in emitted or []:
            apply(active, (str(vid), str(pid)), event)
    return active


def apply(active: dict[Pair, float], pair: Pair, event: EventPayload) -> None:
    """Fold one match event into the set of active pairs."""
    if isinstance(event, MatchFoundV1 | MatchUpdatedV1):
        active[pair] = round(event.score, 6)
    elif isinstance(event, MatchRetractedV1):
        active.pop(pair, None)


def published_matches(records: Iterable[Any]) -> dict[Pair, float]:
    """Active pairs as the matches topic tells them (the last event per pair)."""
    active: dict[Pair, float] = {}
    for key, event in latest(records).items():
        vid, _, pid = key.partition(":")
        apply(active, (vid, pid), event)
    return active


def as_pairs(rows: Iterable[tuple[UUID, UUID]]) -> set[Pair]:
    """Database rows of (vacancy id, profile id) as string pairs."""
    return {(str(v), str(p)) for v, p in rows}
