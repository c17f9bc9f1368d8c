"""Rejected rows: collected, printed as a table, written to a file."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

MAX_VALUE = 200


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why one field of one row was refused; `row` is the line the record starts on."""

    row: int
    field: str
    value: str
    reason: str


def shown(value: Any) -> str:
    """A value as the report shows it: text, bounded."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def field_path(loc: Sequence[int | str]) -> str:
    """("competences", 0, "level") -> "competences[0].level"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(row)"


def of_validation(row: int, exc: ValidationError) -> list[Rejection]:
    """One rejection per pydantic error, with the offending input."""
    return [
        Rejection(row, field_path(e["loc"]), shown(e.get("input", "")), e["msg"])
        for e in exc.errors()
    ]


def of_problem(row: int, body: Mapping[str, Any], problem: Mapping[str, Any]) -> list[Rejection]:
    """Rejections from the API's problem details for one item."""
    found = problem.get("errors") or [{"field": "(row)", "message": problem.get("detail", "")}]
    return [
        Rejection(row, e["field"], shown(e.get("value") or _lookup(body, e["field"])), e["message"])
        for e in found
    ]


def _lookup(body: Mapping[str, Any], path: str) -> Any:
    node: Any = body
    for part in path.replace("[", ".").replace("]", "").split("."):
        if isinstance(node, Mapping):
            node = node.get(part, "")
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return ""
    return node


def print_table(console: Console, rejections: Sequence[Rejection], *, limit: int = 50) -> None:
    """The rejected rows as a table (the first `limit`; the file has them all)."""
    table = Table(title=f"{len(rejections)} rejected field(s)", show_lines=False)
    for column in ("row", "field", "value", "reason"):
        table.add_column(column, overflow="fold")
    for r in rejections[:limit]:
        table.add_row(str(r.row), r.field, r.value, r.reason)
    console.print(table)
    if len(rejections) > limit:
        console.print(f"… and {len(rejections) - limit} more; write them all with --report FILE")


def write_report(path: Path, rejections: Iterable[Rejection]) -> None:
    """CSV (`.csv`) or JSON Lines (anything else), one rejection a line."""
    rows = [asdict(r) for r in rejections]
    with path.open("w", encoding="utf-8", newline="") as out:
        if path.suffix.lower() == ".csv":
            writer = csv.DictWriter(out, fieldnames=["row", "field", "value", "reason"])
            writer.writeheader()
            writer.writerows(rows)
        else:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
