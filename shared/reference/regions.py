"""Regional labour-market hubs ("Arbeitsmarkt-Drehscheiben") and the districts they cover.

A region is a set of districts (5-digit keys of Landkreise and kreisfreie Städte, as in
``data/districts.csv``); a district may belong to several regions. The bundled default set
is ``data/regions.csv`` (membership choices: ``docs/regions.md``). ``Regions.load()``
parses it once per process and returns that same read-only instance afterwards.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from shared.reference.tables import Source, bundled, read_rows


@dataclass(frozen=True, slots=True)
class Region:
    """A regional hub: slug id, display name, federal state and member districts."""

    id: str
    name: str
    state: str
    district_codes: frozenset[str]


def _read(source: Source) -> list[Region]:
    return [
        Region(id=key, name=name, state=state, district_codes=frozenset(codes.split()))
        for key, name, state, codes in read_rows(source)
    ]


class Regions:
    """The regions and a district → regions index."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self._by_id = {r.id: r for r in sorted(regions, key=lambda r: r.id)}
        self._by_district: dict[str, list[Region]] = {}
        for region in self._by_id.values():
            for code in region.district_codes:
                self._by_district.setdefault(code, []).append(region)

    @classmethod
    def load(cls, path: Path | None = None) -> Regions:
        """The bundled regions (cached per process), or a regions CSV at `path`."""
        if path is None:
            return _bundled_regions()
        return cls(_read(path))

    def get(self, region_id: str) -> Region | None:
        """The region with this id, or None if unknown."""
        return self._by_id.get(region_id)

    def all(self) -> list[Region]:
        """Every region, sorted by id."""
        return list(self._by_id.values())

    def of_district(self, district_code: str) -> list[Region]:
        """The regions that cover a district, sorted by id; empty if none does."""
        return list(self._by_district.get(district_code, ()))

    def districts_of(self, region_ids: Iterable[str]) -> frozenset[str]:
        """The union of the regions' districts; KeyError naming the first unknown id."""
        codes: set[str] = set()
        for region_id in region_ids:
            region = self._by_id.get(region_id)
            if region is None:
                raise KeyError(f"unknown region id: {region_id!r}")
            codes |= region.district_codes
        return frozenset(codes)

    def __contains__(self, region_id: object) -> bool:
        return isinstance(region_id, str) and region_id in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)


@functools.cache
def _bundled_regions() -> Regions:
    return Regions(_read(bundled("regions.csv")))
