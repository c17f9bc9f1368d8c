"""The competence catalogue: every ESCO skill plus the hub's own competence codes.

Identifiers are full ESCO skill URIs (``http://data.europa.eu/esco/skill/<uuid>``) and the
hub's codes ``dz:<slug>`` from ``data/hub_competences.csv``. ``CompetenceCatalogue.load()``
parses the bundled tables once per process and returns that same read-only instance
afterwards, so services may call it freely at start-up.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from shared.reference.tables import (
    ESCO_SKILL_PREFIX,
    HUB_PREFIX,
    Source,
    bundled,
    expand,
    folded,
    matches,
    read_rows,
)


@dataclass(frozen=True, slots=True)
class Competence:
    """A skill or knowledge item that profiles and vacancies refer to by `id`."""

    id: str
    label_de: str | None
    label_en: str
    # ESCO's "skill/competence" or "knowledge".
    skill_type: str
    # ESCO's "transversal", "cross-sector", "sector-specific" or "occupation-specific".
    reuse_level: str | None
    # For hub codes: the nearest ESCO skill (same or broader meaning), if any.
    esco_uri: str | None = None

    @property
    def label(self) -> str:
        """The German label when there is one, else the English label."""
        return self.label_de or self.label_en

    @property
    def is_hub_code(self) -> bool:
        """True for the hub's own `dz:` codes."""
        return self.id.startswith(HUB_PREFIX)


def _esco_competences(source: Source) -> Iterator[Competence]:
    for key, label_en, label_de, skill_type, reuse_level in read_rows(source):
        yield Competence(
            id=ESCO_SKILL_PREFIX + key,
            label_de=label_de or None,
            label_en=label_en,
            skill_type=skill_type,
            reuse_level=reuse_level or None,
        )


def _hub_competences(source: Source) -> Iterator[Competence]:
    for key, label_de, label_en, skill_type, reuse_level, esco in read_rows(source):
        yield Competence(
            id=key,
            label_de=label_de,
            label_en=label_en,
            skill_type=skill_type,
            reuse_level=reuse_level or None,
            esco_uri=expand(ESCO_SKILL_PREFIX, esco) if esco else None,
        )


class CompetenceCatalogue:
    """Look-up and label search over a fixed set of competences."""

    def __init__(self, competences: Iterable[Competence]) -> None:
        self._by_id = {c.id: c for c in competences}
        self._index: list[tuple[Competence, tuple[str, ...]]] | None = None

    @classmethod
    def load(cls, data_dir: Path | None = None) -> CompetenceCatalogue:
        """The bundled catalogue (cached per process), or the tables in `data_dir`."""
        if data_dir is None:
            return _bundled_catalogue()
        return cls._read(data_dir / "competences.csv", data_dir / "hub_competences.csv")

    @classmethod
    def _read(cls, esco: Source, hub: Source) -> CompetenceCatalogue:
        return cls([*_esco_competences(esco), *_hub_competences(hub)])

    def get(self, competence_id: str) -> Competence | None:
        """The competence with this id, or None if the id is unknown."""
        return self._by_id.get(competence_id)

    def __contains__(self, competence_id: object) -> bool:
        return isinstance(competence_id, str) and competence_id in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Competence]:
        return iter(self._by_id.values())

    def search(self, text: str, limit: int = 20) -> list[Competence]:
        """Competences whose German or English label contains `text` (case-insensitive).

        Exact matches come first, then prefix matches, then shorter labels.
        """
        needle = text.strip().casefold()
        if not needle or limit <= 0:
            return []
        if self._index is None:
            self._index = [(c, folded((c.label_de, c.label_en))) for c in self._by_id.values()]
        found = [
            (rank, len(c.label), c.id, c)
            for c, labels in self._index
            if (rank := matches(needle, labels)) is not None
        ]
        found.sort(key=lambda hit: hit[:3])
        return [hit[3] for hit in found[:limit]]


@functools.cache
def _bundled_catalogue() -> CompetenceCatalogue:
    return CompetenceCatalogue._read(bundled("competences.csv"), bundled("hub_competences.csv"))
