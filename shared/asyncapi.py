"""The AsyncAPI 3.0 document of every topic, generated from the topic registry and the
event models, so that it cannot drift from the code.

    python -m shared.asyncapi            # print it
    python -m shared.asyncapi --write    # rewrite docs/asyncapi.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared.events.catalog import TOPIC_EVENTS
from shared.events.envelope import CONTENT_TYPE, CloudEvent, EventPayload
from shared.topics import TOPICS, TopicSpec

DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "asyncapi.json"
REF = "#/components/schemas/{model}"
KAFKA_BINDING = "0.5.0"


def _schemas(models: list[type[EventPayload]]) -> dict[str, Any]:
    everything: list[type[BaseModel]] = [CloudEvent, *models]
    inputs: list[tuple[type[BaseModel], Literal["validation"]]] = [
        (model, "validation") for model in everything
    ]
    _, top = models_json_schema(inputs, ref_template=REF)
    schemas: dict[str, Any] = top["$defs"]
    for model in models:
        schemas[f"{model.__name__}Event"] = {
            "description": f"CloudEvent of type {model.event_type}.",
            "allOf": [
                {"$ref": REF.format(model="CloudEvent")},
                {"properties": {
                    "type": {"const": model.event_type},
                    "data": {"$ref": REF.format(model=model.__name__)},
                }},
            ],
        }  # fmt: skip
    return schemas


def _message(model: type[EventPayload], key: str) -> dict[str, Any]:
    return {
        "name": model.event_type,
        "title": model.__name__,
        "summary": (model.__doc__ or "").strip().splitlines()[0],
        "contentType": CONTENT_TYPE,
        "payload": {"$ref": REF.format(model=f"{model.__name__}Event")},
        "bindings": {"kafka": {
            "key": {"type": "string", "description": key}, "bindingVersion": KAFKA_BINDING,
        }},
    }  # fmt: skip


def _channel(spec: TopicSpec) -> dict[str, Any]:
    config: dict[str, Any] = {"cleanup.policy": [spec.cleanup.value]}
    if spec.retention_ms is not None:
        config["retention.ms"] = spec.retention_ms
    events = TOPIC_EVENTS.get(spec.name, ())
    return {
        "address": spec.name,
        "description": f"{spec.description} Key: {spec.key}. Written by {spec.writer}.",
        "messages": {m.__name__: {"$ref": f"#/components/messages/{m.__name__}"} for m in events},
        "bindings": {"kafka": {
            "topic": spec.name, "partitions": spec.partitions,
            "topicConfiguration": config, "bindingVersion": KAFKA_BINDING,
        }},
    }  # fmt: skip


def _operations(spec: TopicSpec, channel: str) -> dict[str, Any]:
    ref = {"$ref": f"#/channels/{channel}"}
    ops = {f"{spec.writer.replace(' ', '-')}-sends-{channel}": {
        "action": "send", "channel": ref, "summary": f"{spec.writer} writes {spec.name}",
    }}  # fmt: skip
    for reader in spec.readers:
        ops[f"{reader}-receives-{channel}"] = {
            "action": "receive",
            "channel": ref,
            "summary": f"{reader} reads {spec.name}",
        }
    return ops


def document() -> dict[str, Any]:
    """The whole AsyncAPI document."""
    channels, operations, messages = {}, {}, {}
    models: list[type[EventPayload]] = []
    for spec in TOPICS:
        channel = spec.name.removeprefix("hub.").removesuffix(".v1").replace(".", "-")
        channels[channel] = _channel(spec)
        operations.update(_operations(spec, channel))
        for model in TOPIC_EVENTS.get(spec.name, ()):
            messages[model.__name__] = _message(model, spec.key)
            if model not in models:
                models.append(model)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Drehscheibe events",
            "version": "1",
            "description": (
                "Every event is a CloudEvents 1.0 event in Kafka's structured content mode:"
                " the record value is the JSON event, the header content-type is"
                f" {CONTENT_TYPE}, the key is the aggregate id. Agencies write only to"
                " the hub.inbox.* topics and read matches and bulletins."
            ),
        },
        "servers": {
            "local": {"host": "127.0.0.1:9092", "protocol": "kafka",
                      "description": "The hub's own services (local stack)."},
            "agencies": {"host": "127.0.0.1:9094", "protocol": "kafka",
                         "description": "SASL/SCRAM-SHA-512; see docs/kafka-security.md.",
                         "security": [{"$ref": "#/components/securitySchemes/scram"}]},
        },
        "defaultContentType": CONTENT_TYPE,
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": messages,
            "schemas": _schemas(models),
            "securitySchemes": {"scram": {"type": "scramSha512"}},
        },
    }  # fmt: skip


def render() -> str:
    """The document as committed: stable key order, two-space indent."""
    return json.dumps(document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    if "--write" in sys.argv:
        DOCUMENT.write_text(render())
    else:
        sys.stdout.write(render())
