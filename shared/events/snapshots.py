"""JSON-Schema snapshots of every event type, and the compatibility rule they enforce.

Within a version only optional fields may be added; anything else is a new event
version. `python -m shared.events.snapshots` rewrites the snapshots after a
compatible change and refuses an incompatible one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from shared.events.envelope import EventPayload
from shared.events.registry import EVENT_TYPES

SNAPSHOT_DIR = Path(__file__).with_name("schemas")


def schema_of(model: type[EventPayload]) -> dict[str, Any]:
    """The JSON Schema an event's payload is validated against."""
    schema = model.model_json_schema(mode="validation")
    schema["$id"] = f"urn:drehscheibe:schema:{model.event_type}"
    return schema


def snapshot_path(model: type[EventPayload]) -> Path:
    """Where the committed snapshot of an event type lives."""
    return SNAPSHOT_DIR / f"{model.event_type}.json"


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return _resolve(schema, schema["$defs"][ref.removeprefix("#/$defs/")])
    return node


def incompatibilities(
    old: dict[str, Any],
    new: dict[str, Any],
    old_root: dict[str, Any] | None = None,
    new_root: dict[str, Any] | None = None,
    path: str = "",
) -> list[str]:
    """Why `new` cannot replace `old` within one event version (empty when it can)."""
    old_root, new_root = old_root or old, new_root or new
    old, new = _resolve(old_root, old), _resolve(new_root, new)
    problems: list[str] = []
    for key in ("type", "enum", "const", "format", "pattern", "anyOf"):
        if key in old and key != "anyOf" and old.get(key) != new.get(key):
            problems.append(f"{path or '(root)'}: {key} changed")
    if "anyOf" in old and len(old["anyOf"]) != len(new.get("anyOf", [])):
        problems.append(f"{path or '(root)'}: union changed")
    if "anyOf" in old and "anyOf" in new:
        for i, (o, n) in enumerate(zip(old["anyOf"], new["anyOf"], strict=False)):
            problems += incompatibilities(o, n, old_root, new_root, f"{path}|{i}")
    added_required = set(new.get("required", [])) - set(old.get("required", []))
    problems += [f"{path}.{name}: new required field" for name in sorted(added_required)]
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, old_prop in old_props.items():
        if name not in new_props:
            problems.append(f"{path}.{name}: field removed")
        else:
            problems += incompatibilities(
                old_prop, new_props[name], old_root, new_root, f"{path}.{name}"
            )
    if "items" in old and "items" in new:
        problems += incompatibilities(old["items"], new["items"], old_root, new_root, f"{path}[]")
    return problems


def write_snapshots() -> list[str]:
    """Rewrite the snapshots; refuse (and return the reasons) if a change is incompatible."""
    refused: list[str] = []
    for model in EVENT_TYPES:
        path, new = snapshot_path(model), schema_of(model)
        if path.exists():
            problems = incompatibilities(json.loads(path.read_text()), new)
            if problems:
                refused += [f"{model.event_type}: {p}" for p in problems]
                continue
        path.write_text(json.dumps(new, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return refused


if __name__ == "__main__":
    SNAPSHOT_DIR.mkdir(exist_ok=True)
    reasons = write_snapshots()
    for reason in reasons:
        print(reason, file=sys.stderr)
    sys.exit(1 if reasons else 0)
