"""The occupation catalogue: ESCO occupations and the five-digit codes of KldB 2010.

Identifiers are full ESCO occupation URIs (``http://data.europa.eu/esco/occupation/<uuid>``)
and KldB 2010 (version 2020) codes such as ``41312``. ``OccupationCatalogue.load()`` parses
the bundled table once per process and returns that same read-only instance afterwards.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from shared.reference.tables import (
    ESCO_OCCUPATION_PREFIX,
    Source,
    bundled,
    expand,
    folded,
    matches,
    read_rows,
    split_labels,
)

# Alternative labels rank after every match on a title.
_ALT_RANK = 3


@dataclass(frozen=True, slots=True)
class Occupation:
    """An ESCO occupation (`isco_group` set) or a KldB 2010 code (`kldb_code` set)."""

    id: str
    title_de: str | None
    title_en: str | None
    # Four-digit ISCO-08 unit group of an ESCO occupation.
    isco_group: str | None
    # Five-digit KldB 2010 code; for KldB rows it equals `id`.
    kldb_code: str | None

    @property
    def title(self) -> str:
        """The German title when there is one, else the English title."""
        return self.title_de or self.title_en or self.id


def is_kldb_code(text: str) -> bool:
    """True if `text` has the form of a five-digit KldB 2010 code."""
    return len(text) == 5 and text.isascii() and text.isdigit()


def _read(source: Source) -> tuple[list[Occupation], dict[str, tuple[str, ...]]]:
    occupations: list[Occupation] = []
    alt_labels: dict[str, tuple[str, ...]] = {}
    for key, title_de, title_en, isco_group, alt in read_rows(source):
        kldb = key if is_kldb_code(key) else None
        occupation = Occupation(
            id=key if kldb else expand(ESCO_OCCUPATION_PREFIX, key),
            title_de=title_de or None,
            title_en=title_en or None,
            isco_group=isco_group or None,
            kldb_code=kldb,
        )
        occupations.append(occupation)
        alt_labels[occupation.id] = split_labels(alt)
    return occupations, alt_labels


class OccupationCatalogue:
    """Look-up and title search over a fixed set of occupations."""

    def __init__(
        self,
        occupations: Iterable[Occupation],
        alt_labels: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._by_id = {o.id: o for o in occupations}
        self._alt = dict(alt_labels or {})
        self._index: list[tuple[Occupation, tuple[str, ...], tuple[str, ...]]] | None = None

    @classmethod
    def load(cls, data_dir: Path | None = None) -> OccupationCatalogue:
        """The bundled catalogue (cached per process), or the table in `data_dir`."""
        if data_dir is None:
            return _bundled_catalogue()
        return cls(*_read(data_dir / "occupations.csv"))

    def get(self, occupation_id: str) -> Occupation | None:
        """The occupation with this ESCO URI or KldB code, or None if unknown."""
        return self._by_id.get(occupation_id)

    def __contains__(self, occupation_id: object) -> bool:
        return isinstance(occupation_id, str) and occupation_id in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Occupation]:
        return iter(self._by_id.values())

    def alt_labels(self, occupation_id: str) -> tuple[str, ...]:
        """Other names of an occupation (ESCO's German alternative labels, KldB short titles)."""
        return self._alt.get(occupation_id, ())

    def search(self, text: str, limit: int = 20) -> list[Occupation]:
        """Occupations whose title or alternative label contains `text` (case-insensitive).

        Title matches come first (exact, then prefix, then inside), then alternative labels.
        """
        needle = text.strip().casefold()
        if not needle or limit <= 0:
            return []
        found = []
        for occupation, titles, alts in self._search_index():
            rank = matches(needle, titles)
            if rank is None and (alt_rank := matches(needle, alts)) is not None:
                rank = _ALT_RANK + alt_rank
            if rank is not None:
                found.append((rank, len(occupation.title), occupation.id, occupation))
        found.sort(key=lambda hit: hit[:3])
        return [hit[3] for hit in found[:limit]]

    def _search_index(self) -> list[tuple[Occupation, tuple[str, ...], tuple[str, ...]]]:
        # Built on first search: most services only look ids up.
        if self._index is None:
            self._index = [
                (o, folded((o.title_de, o.title_en)), folded(self.alt_labels(o.id)))
                for o in self._by_id.values()
            ]
        return self._index


@functools.cache
def _bundled_catalogue() -> OccupationCatalogue:
    return OccupationCatalogue(*_read(bundled("occupations.csv")))
