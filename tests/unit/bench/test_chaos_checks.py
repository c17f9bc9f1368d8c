"""The fault run's checks fail when a notification is missing or arrives under two ids,
and the benchmark's latency pairs each posting with its first verified webhook."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from bench.chaos.checks import Verdict, notifications
from bench.chaos.expected import published_matches
from bench.e2e.measure import first_arrivals, latencies, pct
from bench.hub.deliveries import Delivery, parse
from bench.hub.load import Ack
from shared.events import CloudEvent, MatchFoundV1, MatchRetractedV1, ScoreComponent

FOUND = MatchFoundV1.event_type


@dataclass
class Record:
    """What the checks read of a Kafka record."""

    key: bytes
    value: bytes | None


def _found(v: uuid.UUID, p: uuid.UUID, version: int = 1) -> Record:
    event = MatchFoundV1(
        version=version, vacancy_id=v, profile_id=p, vacancy_version=1, profile_version=1,
        score=0.8, distance_km=3.0, gap=[], occupation="x",
        components=[ScoreComponent(name="competence", value=0.8, weight=1.0, reason="r")],
    )  # fmt: skip
    return Record(f"{v}:{p}".encode(), CloudEvent.wrap(event, source="matching").to_bytes())


def _delivery(v: uuid.UUID, p: uuid.UUID, delivery_id: str, ok: bool = True) -> Delivery:
    return Delivery(1.0, ok, delivery_id, FOUND, str(v), str(p), 1)


def test_a_found_match_without_a_webhook_is_missing() -> None:
    v, p = uuid.uuid4(), uuid.uuid4()
    verdict = Verdict()
    notifications([_found(v, p)], [], verdict)
    assert verdict.missing_notifications == 1
    assert not verdict.ok


def test_repeats_under_one_id_pass_and_a_second_id_fails() -> None:
    v, p = uuid.uuid4(), uuid.uuid4()
    same = Verdict()
    notifications([_found(v, p)], [_delivery(v, p, "a"), _delivery(v, p, "a")], same)
    assert (same.ok, same.repeats, same.ids_per_notification) == (True, 1, 0)
    second = Verdict()
    notifications([_found(v, p)], [_delivery(v, p, "a"), _delivery(v, p, "b")], second)
    assert (second.ok, second.ids_per_notification) == (False, 1)


def test_a_bad_signature_fails_the_verdict() -> None:
    v, p = uuid.uuid4(), uuid.uuid4()
    verdict = Verdict()
    notifications([_found(v, p)], [_delivery(v, p, "a"), _delivery(v, p, "x", ok=False)], verdict)
    assert verdict.bad_signatures == 1
    assert not verdict.ok


def test_the_last_event_per_pair_decides_whether_it_is_active() -> None:
    v, p, q = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    retracted = MatchRetractedV1.model_validate(
        {"version": 2, "vacancy_id": v, "profile_id": p, "reason": "outranked", "occupation": "x"}
    )
    gone = Record(f"{v}:{p}".encode(), CloudEvent.wrap(retracted, source="m").to_bytes())
    active = published_matches([_found(v, p), _found(v, q), gone])
    assert active == {(str(v), str(q)): 0.8}


def test_latency_runs_from_the_answer_to_the_first_verified_webhook() -> None:
    seen = [
        parse('{"t": 10.5, "ok": false, "id": "x", "type": "t", "v": "V", "p": "P", "ver": 1}'),
        parse('{"t": 10.9, "ok": true, "id": "a", "type": "t", "v": "V", "p": "P", "ver": 1}'),
        parse('{"t": 10.7, "ok": true, "id": "b", "type": "t", "v": "W", "p": "P", "ver": 1}'),
        parse('{"t": 10.6, "ok": true, "id": "c", "type": "t", "v": "V", "p": "Q", "ver": 1}'),
    ]
    acks = [Ack("vacancy", 9.0, 10.0, 201, ("V",), "V"), Ack("vacancy", 9.0, 10.0, 500)]
    acks.append(Ack("staff_release", 10.1, 10.2, 201, ("Q",), "R"))  # Q came after V
    first = first_arrivals([d for d in seen if d is not None], acks)
    assert [round(x, 3) for x in latencies(acks[:2], first)] == [0.9]


def test_a_person_is_not_credited_with_a_match_a_later_vacancy_caused() -> None:
    later = parse('{"t": 20.0, "ok": true, "id": "a", "type": "t", "v": "L", "p": "P", "ver": 1}')
    own = parse('{"t": 30.0, "ok": true, "id": "b", "type": "t", "v": "S", "p": "P", "ver": 1}')
    person = Ack("staff_release", 9.0, 10.0, 201, ("P",), "R")
    vacancy_after = Ack("vacancy", 15.0, 16.0, 201, ("L",), "L")
    first = first_arrivals([d for d in (later, own) if d is not None], [person, vacancy_after])
    assert latencies([person], first) == [20.0]  # S (seeded, older) counts; L does not
    assert pct([1.0, 2.0, 3.0, 4.0], 0.5) == 3.0
