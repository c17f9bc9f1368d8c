"""ESCO's occupation–skill relations: which skills an occupation needs (essential) or may use.

The bundled ``data/occupation_skills.csv.gz`` has one row per occupation with the UUIDs of
its essential and optional skills; loading expands them to full ESCO URIs.
``OccupationSkills.load()`` parses the file once per process and returns that same
read-only instance afterwards.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path

from shared.reference.tables import (
    ESCO_OCCUPATION_PREFIX,
    ESCO_SKILL_PREFIX,
    Source,
    bundled,
    read_rows,
)

FILE_NAME = "occupation_skills.csv.gz"
_Skills = tuple[tuple[str, ...], tuple[str, ...]]


def _read(source: Source) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    # One string object per skill URI, however many occupations share it.
    uris: dict[str, str] = {}

    def expand_all(field: str) -> tuple[str, ...]:
        return tuple(
            uris.get(key) or uris.setdefault(key, ESCO_SKILL_PREFIX + key) for key in field.split()
        )

    essential: dict[str, tuple[str, ...]] = {}
    optional: dict[str, tuple[str, ...]] = {}
    for occupation, essential_keys, optional_keys in read_rows(source):
        uri = ESCO_OCCUPATION_PREFIX + occupation
        essential[uri], optional[uri] = expand_all(essential_keys), expand_all(optional_keys)
    return essential, optional


class OccupationSkills:
    """Essential and optional skills (ESCO URIs, sorted) of each ESCO occupation."""

    def __init__(
        self,
        essential: Mapping[str, Sequence[str]],
        optional: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        optional = optional or {}
        # tuple() of a tuple is the same object: loading the bundled file copies nothing.
        self._skills: dict[str, _Skills] = {
            occupation: (tuple(essential.get(occupation, ())), tuple(optional.get(occupation, ())))
            for occupation in sorted({*essential, *optional})
        }

    @classmethod
    def load(cls, data_dir: Path | None = None) -> OccupationSkills:
        """The bundled relations (cached per process), or the file in `data_dir`."""
        if data_dir is None:
            return _bundled_relations()
        return cls(*_read(data_dir / FILE_NAME))

    def occupations(self) -> list[str]:
        """Every occupation URI with at least one relation, sorted."""
        return list(self._skills)

    def essential(self, occupation_uri: str) -> list[str]:
        """The essential skills of an occupation; empty for an unknown occupation."""
        return list(self._skills.get(occupation_uri, ((), ()))[0])

    def optional(self, occupation_uri: str) -> list[str]:
        """The optional skills of an occupation; empty for an unknown occupation."""
        return list(self._skills.get(occupation_uri, ((), ()))[1])

    def __contains__(self, occupation_uri: object) -> bool:
        return isinstance(occupation_uri, str) and occupation_uri in self._skills

    def __len__(self) -> int:
        return len(self._skills)


@functools.cache
def _bundled_relations() -> OccupationSkills:
    return OccupationSkills(*_read(bundled(FILE_NAME)))
