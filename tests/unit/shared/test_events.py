"""Event contracts: strict decoding, and snapshots that catch incompatible changes."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest

from shared.events import (
    EVENT_TYPES,
    CloudEvent,
    EventPayload,
    InvalidEventError,
    ProfilePublishedV1,
    VacancyOpenedV1,
    decode,
)
from shared.events.snapshots import incompatibilities, schema_of, snapshot_path


def vacancy() -> VacancyOpenedV1:
    return VacancyOpenedV1.model_validate(
        {
            "vacancy_id": str(uuid4()),
            "version": 1,
            "occupation": "esco:chemikant",
            "competences": [{"competence_id": "esco:gmp", "min_level": 3}],
            "postcode": "06237",
            "radius_km": 40,
        }
    )


def test_round_trip_through_the_wire_format() -> None:
    original = vacancy()
    event = CloudEvent.wrap(original, source="profiles")
    envelope, payload = decode(event.to_bytes(), [VacancyOpenedV1])
    assert envelope.id == event.id
    assert envelope.source == "urn:drehscheibe:profiles"
    assert envelope.type == "de.drehscheibe.vacancy.opened.v1"
    assert payload == original
    assert envelope.subject == str(original.vacancy_id)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "empty record value"),
        (b"\xff\x00", "not JSON"),
        (b'{"specversion": "1.0", "id": ', "not JSON"),
        (b"[1, 2]", "not a CloudEvent"),
        (b'{"hello": 1}', "not a CloudEvent"),
    ],
)
def test_undecodable_records_are_invalid(value: bytes | None, reason: str) -> None:
    with pytest.raises(InvalidEventError, match=reason):
        decode(value, [VacancyOpenedV1])


def test_unexpected_type_and_bad_payload_are_invalid() -> None:
    event = CloudEvent.wrap(vacancy(), source="profiles")
    with pytest.raises(InvalidEventError, match="unexpected event type"):
        decode(event.to_bytes(), [ProfilePublishedV1])
    broken = json.loads(event.to_bytes())
    broken["data"]["competences"][0]["min_level"] = 7
    with pytest.raises(InvalidEventError, match=r"competences\.0\.min_level"):
        decode(json.dumps(broken).encode(), [VacancyOpenedV1])


def test_subject_must_name_the_aggregate() -> None:
    raw = json.loads(CloudEvent.wrap(vacancy(), source="profiles").to_bytes())
    raw["subject"] = str(uuid4())
    with pytest.raises(InvalidEventError, match="subject"):
        decode(json.dumps(raw).encode(), [VacancyOpenedV1])


@pytest.mark.parametrize("model", EVENT_TYPES, ids=lambda m: m.event_type)
def test_committed_snapshot_matches_the_code(model: type[EventPayload]) -> None:
    path = snapshot_path(model)
    assert path.exists(), (
        f"no snapshot for {model.event_type}: run python -m shared.events.snapshots"
    )
    committed = json.loads(path.read_text())
    current = schema_of(model)
    assert incompatibilities(committed, current) == [], "incompatible change: add a new version"
    assert committed == current, "compatible change: run make contracts"


def test_compatibility_rule_allows_optional_fields_only() -> None:
    old = schema_of(VacancyOpenedV1)
    added_optional = json.loads(json.dumps(old))
    added_optional["properties"]["note"] = {"type": "string"}
    assert incompatibilities(old, added_optional) == []

    added_required = json.loads(json.dumps(added_optional))
    added_required["required"].append("note")
    assert incompatibilities(old, added_required) == [".note: new required field"]

    removed = json.loads(json.dumps(old))
    del removed["properties"]["postcode"]
    assert ".postcode: field removed" in incompatibilities(old, removed)

    retyped = json.loads(json.dumps(old))
    retyped["properties"]["radius_km"]["type"] = "string"
    assert ".radius_km: type changed" in incompatibilities(old, retyped)

    narrowed = json.loads(json.dumps(old))
    narrowed["$defs"]["Importance"]["enum"] = ["must", "should"]
    assert any("enum changed" in p for p in incompatibilities(old, narrowed))
