"""The committed AsyncAPI document is current and internally consistent."""

from __future__ import annotations

import json
from typing import Any

from shared.asyncapi import DOCUMENT, document, render
from shared.events.catalog import TOPIC_EVENTS
from shared.topics import TOPICS


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_committed_document_is_current() -> None:
    assert DOCUMENT.read_text() == render(), "run: make contracts"


def test_every_topic_is_a_channel_with_its_events() -> None:
    doc = document()
    addresses = {c["address"]: c for c in doc["channels"].values()}
    assert set(addresses) == {spec.name for spec in TOPICS}
    for topic, events in TOPIC_EVENTS.items():
        assert set(addresses[topic]["messages"]) == {m.__name__ for m in events}
    matches = addresses["hub.matches.v1"]
    assert matches["bindings"]["kafka"]["topicConfiguration"]["cleanup.policy"] == ["compact"]


def test_every_reference_resolves() -> None:
    doc = json.loads(render())
    refs = _refs(doc)
    assert len(refs) > 50
    for ref in refs:
        assert _resolve(doc, ref) is not None, ref


def test_messages_name_their_cloudevent_type_and_key() -> None:
    doc = document()
    found = doc["components"]["messages"]["MatchFoundV1"]
    assert found["name"] == "de.drehscheibe.match.found.v1"
    assert found["bindings"]["kafka"]["key"]["description"] == "vacancy_id:profile_id"
    event = doc["components"]["schemas"]["MatchFoundV1Event"]
    assert event["allOf"][1]["properties"]["type"]["const"] == "de.drehscheibe.match.found.v1"
