"""Reading an export: CSV or JSON Lines into API bodies, each with its line and key.

CSV cells stay text (the API's models convert numbers, dates and booleans); lists
are `;`-separated and each competence is `id|level|third` (see docs/import.md).
A JSON Lines file holds one API body per line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from operators.importing.kinds import SPECS, Kind, KindSpec
from operators.importing.report import Rejection

LIST_SEPARATOR = ";"
PART_SEPARATOR = "|"


class FileFormatError(ValueError):
    """The file as a whole cannot be read (wrong header, unknown format)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One record: the line it starts on, its body, and what was wrong with it already."""

    line: int
    body: dict[str, Any]
    rejections: list[Rejection] = field(default_factory=list)

    def key(self, kind: Kind) -> str:
        """A stable Idempotency-Key: the same row at the same line always gets the same key."""
        text = json.dumps(self.body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(f"{kind.value}\n{self.line}\n{text}".encode()).hexdigest()
        return f"import-{digest[:40]}"


def read_rows(text: str, kind: Kind, fmt: str) -> list[Row]:
    """Every record of the file, in order."""
    if fmt == "csv":
        return list(_csv_rows(text, SPECS[kind]))
    if fmt == "jsonl":
        return list(_jsonl_rows(text))
    raise FileFormatError(f"unknown format {fmt!r}: use csv or jsonl")


def _jsonl_rows(text: str) -> Iterator[Row]:
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            body = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Row(line_no, {}, [Rejection(line_no, "(row)", line[:80], f"not JSON: {exc.msg}")])
            continue
        if not isinstance(body, dict):
            yield Row(line_no, {}, [Rejection(line_no, "(row)", line[:80], "not a JSON object")])
            continue
        yield Row(line_no, body)


def _csv_rows(text: str, spec: KindSpec) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    unknown = [h for h in header if h not in spec.columns]
    if not header or unknown:
        raise FileFormatError(
            f"unknown column(s) {', '.join(unknown) or '(none)'}; "
            f"expected some of: {', '.join(spec.columns)}"
        )
    start = reader.line_num + 1
    for cells in reader:
        if any(c.strip() for c in cells):
            yield _csv_row(start, dict(zip(header, cells, strict=False)), spec)
        start = reader.line_num + 1


def _csv_row(line: int, cells: dict[str, str], spec: KindSpec) -> Row:
    body: dict[str, Any] = {}
    rejections: list[Rejection] = []
    for column, raw in cells.items():
        value = raw.strip()
        if not value:
            continue
        if column == "competences":
            body[column] = _competences(line, value, spec.nested, rejections)
        elif column in spec.lists:
            body[column] = [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
        elif column.startswith("consent_"):
            body.setdefault("consent", {})[column.removeprefix("consent_")] = value
        else:
            body[column] = value
    return Row(line, body, rejections)


def _competences(
    line: int, value: str, parts: tuple[str, ...], rejections: list[Rejection]
) -> list[dict[str, str]]:
    items = []
    for i, item in enumerate(v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()):
        found = [p.strip() for p in item.split(PART_SEPARATOR)]
        # The third part (importance, evidence) may be left out for its default.
        if not 2 <= len(found) <= len(parts):
            shape = PART_SEPARATOR.join(parts)
            rejections.append(Rejection(line, f"competences[{i}]", item, f"expected {shape}"))
            continue
        items.append(dict(zip(parts, found, strict=False)))
    return items
