"""Inverted index on competences, partitioned by a lat/lon grid, in memory.

A rare competence keeps one flat posting list of slots; once it has more than
FLAT_LIMIT holders its postings are split by grid cell, so a query for a common
competence touches only the cells within the radius, nearest first. Coordinates
are kept once per slot in two arrays, not per posting, which keeps a million
profiles within a few hundred bytes of index each. `scan` yields groups of
candidates in order of a lower bound on their distance, which lets the caller stop
as soon as no farther candidate can beat the ones it has (see ranking.py).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator, Sequence

DLAT = 0.2  # about 22 km
DLON = 0.3  # about 21 km at 51° N
KM_PER_DEG = 111.2
FLAT_LIMIT = 256


def cell_of(lat: float, lon: float) -> int:
    """The grid cell of a point (packed row/column)."""
    return (math.floor(lat / DLAT) + 2000) * 10_000 + math.floor(lon / DLON) + 5000


def approx_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: within a fraction of a percent over commuting ranges."""
    dx = (lon2 - lon1) * KM_PER_DEG * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, (lat2 - lat1) * KM_PER_DEG)


def cell_min_km(cell: int, lat: float, lon: float) -> float:
    """A lower bound on the distance from a point to anything in the cell."""
    row, col = divmod(cell, 10_000)
    lat0, lon0 = (row - 2000) * DLAT, (col - 5000) * DLON
    near_lat, near_lon = min(max(lat, lat0), lat0 + DLAT), min(max(lon, lon0), lon0 + DLON)
    return max(0.0, approx_km(lat, lon, near_lat, near_lon) - 0.5)


def cells_within(lat: float, lon: float, radius_km: float) -> list[int]:
    """Every cell that may hold a point within the radius."""
    dlat = radius_km / KM_PER_DEG
    dlon = radius_km / (KM_PER_DEG * max(math.cos(math.radians(lat)), 0.05))
    rows = range(math.floor((lat - dlat) / DLAT), math.floor((lat + dlat) / DLAT) + 1)
    cols = range(math.floor((lon - dlon) / DLON), math.floor((lon + dlon) / DLON) + 1)
    return [(r + 2000) * 10_000 + c + 5000 for r in rows for c in cols]


class CompetenceIndex:
    """Competence id → holders (integer slots), flat or split by grid cell."""

    def __init__(self) -> None:
        self._lat, self._lon = array("d"), array("d")
        # Slots as 4-byte unsigned ints: half the memory of a list's pointers.
        self._flat: dict[str, array[int]] = {}
        self._cells: dict[str, dict[int, array[int]]] = {}
        self._count: dict[str, int] = {}

    def _place(self, slot: int, lat: float, lon: float) -> None:
        while len(self._lat) <= slot:
            self._lat.append(0.0)
            self._lon.append(0.0)
        self._lat[slot], self._lon[slot] = lat, lon

    def add(self, slot: int, competence_ids: Iterable[str], lat: float, lon: float) -> None:
        """Index a slot under each competence."""
        self._place(slot, lat, lon)
        cell = cell_of(lat, lon)
        for cid in competence_ids:
            self._count[cid] = self._count.get(cid, 0) + 1
            split = self._cells.get(cid)
            holders = split.get(cell) if split is not None else self._flat.get(cid)
            if holders is None:
                holders = array("I")
                if split is not None:
                    split[cell] = holders
                else:
                    self._flat[cid] = holders
            holders.append(slot)
            if split is None and len(holders) > FLAT_LIMIT:
                self._split(cid)

    def _split(self, cid: str) -> None:
        split: dict[int, array[int]] = {}
        for slot in self._flat.pop(cid):
            split.setdefault(cell_of(self._lat[slot], self._lon[slot]), array("I")).append(slot)
        self._cells[cid] = split

    def remove(self, slot: int, competence_ids: Iterable[str], lat: float, lon: float) -> None:
        """Drop a slot from each competence's postings."""
        cell = cell_of(lat, lon)
        for cid in competence_ids:
            split = self._cells.get(cid)
            holders = split.get(cell) if split is not None else self._flat.get(cid)
            if holders is None or slot not in holders:
                continue
            holders.remove(slot)
            self._count[cid] -= 1
            if not self._count[cid]:
                del self._count[cid]
            if holders:
                continue
            if split is not None:
                split.pop(cell, None)
            else:
                self._flat.pop(cid, None)

    def count(self, competence_id: str) -> int:
        """How many slots hold the competence."""
        return self._count.get(competence_id, 0)

    def holders(self, competence_ids: Iterable[str]) -> set[int]:
        """Every slot holding one of the competences, wherever it is."""
        out: set[int] = set()
        for cid in competence_ids:
            out.update(self._flat.get(cid, ()))
            for slots in self._cells.get(cid, {}).values():
                out.update(slots)
        return out

    def scan(
        self, competence_ids: Iterable[str], lat: float, lon: float, radius_km: float
    ) -> Iterator[tuple[float, Sequence[int]]]:
        """(lower bound on distance in km, slots) groups within the radius, nearest first."""
        groups = [(d, slots) for d, _, slots in self.groups(competence_ids, lat, lon, radius_km)]
        groups.sort(key=lambda g: g[0])
        yield from groups

    def groups(
        self, competence_ids: Iterable[str], lat: float, lon: float, radius_km: float
    ) -> list[tuple[float, str, Sequence[int]]]:
        """(lower bound on distance in km, competence id, slots) within the radius, unordered."""
        groups: list[tuple[float, str, Sequence[int]]] = []
        cells: list[int] | None = None
        for cid in set(competence_ids):
            flat = self._flat.get(cid)
            if flat is not None:
                # The latitude alone rules out most holders of a rare competence, and
                # approx_km is never less than the north-south part of the distance.
                span = (radius_km + 1.0) / KM_PER_DEG + 1e-9
                for slot in flat:
                    if abs(self._lat[slot] - lat) > span:
                        continue
                    d = approx_km(lat, lon, self._lat[slot], self._lon[slot])
                    if d <= radius_km + 1.0:
                        groups.append((max(0.0, d - 0.5), cid, [slot]))
                continue
            split = self._cells.get(cid)
            if split is None:
                continue
            if cells is None:
                # The score tolerates half a kilometre beyond the radius: so must the box.
                cells = cells_within(lat, lon, radius_km + 1.0)
            keys: Iterable[int] = cells if len(cells) < len(split) else list(split)
            for cell in keys:
                holders = split.get(cell)
                if holders:
                    d = cell_min_km(cell, lat, lon)
                    if d <= radius_km:
                        groups.append((d, cid, holders))
        return groups
