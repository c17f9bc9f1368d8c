"""Reading the bundled reference tables: file access, CSV parsing and ESCO identifiers."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
ESCO_OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"
# The hub's own competence codes live beside ESCO's URIs in one identifier space.
HUB_PREFIX = "dz:"
# Alternative labels share one CSV field; no ESCO or KldB label contains this.
LABEL_SEPARATOR = " | "

Source = Traversable | Path


def bundled(name: str) -> Traversable:
    """A file of the bundled `shared/reference/data` folder."""
    return files("shared.reference").joinpath("data", name)


def read_text(source: Source) -> str:
    """The UTF-8 text of a table; `.gz` files are decompressed."""
    if source.name.endswith(".gz"):
        return gzip.decompress(source.read_bytes()).decode("utf-8")
    return source.read_text(encoding="utf-8")


def read_rows(source: Source) -> Iterator[list[str]]:
    """The rows of a CSV table without its header (plain lists: faster than dicts)."""
    # Traversable.open() takes no newline argument; the tables are small enough to read whole.
    rows = csv.reader(io.StringIO(read_text(source), newline=""))
    next(rows, None)
    yield from rows


def expand(prefix: str, key: str) -> str:
    """A full URI from a stored UUID; other keys (KldB codes, hub codes) stay as they are."""
    return prefix + key if len(key) == 36 and key.count("-") == 4 else key


def shorten(uri: str) -> str:
    """The UUID at the end of an ESCO URI (the form the bundled tables store)."""
    return uri.rsplit("/", 1)[1]


def split_labels(field: str) -> tuple[str, ...]:
    """The labels of a multi-label field."""
    return tuple(field.split(LABEL_SEPARATOR)) if field else ()


def folded(labels: Iterable[str | None]) -> tuple[str, ...]:
    """The non-empty labels, case-folded for search."""
    return tuple(label.casefold() for label in labels if label)


def matches(needle: str, labels: tuple[str, ...]) -> int | None:
    """Rank of the best folded label containing folded `needle`: 0 equal, 1 prefix, 2 inside."""
    best: int | None = None
    for low in labels:
        if low == needle:
            return 0
        if low.startswith(needle):
            best = 1
        elif best is None and needle in low:
            best = 2
    return best
