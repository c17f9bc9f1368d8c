"""German postal codes with coordinates and districts, from the bundled GeoNames table."""

from __future__ import annotations

import csv
import functools
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

# Mean Earth radius (IUGG); the spherical model errs by < 0.5 %, plenty for commuting ranges.
EARTH_RADIUS_KM = 6371.0088
_POSTCODE_RE = re.compile(r"[0-9]{5}")


@dataclass(frozen=True, slots=True)
class Place:
    """A postal code's main place, centre and (majority) district."""

    postcode: str
    place: str
    lat: float
    lon: float
    # None only for 87491 Jungholz, an Austrian village with a German postal code.
    district_code: str | None
    district: str | None
    state: str | None


def is_valid_postcode_format(s: str) -> bool:
    """True if `s` is exactly five ASCII digits (the German postal code format)."""
    return _POSTCODE_RE.fullmatch(s) is not None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _bundled_data() -> Traversable:
    return files("shared.reference").joinpath("data")


def _read_rows(source: Traversable) -> Iterator[dict[str, str]]:
    # Traversable.open() takes no newline argument; the tables are small enough to read whole.
    text = source.read_text(encoding="utf-8")
    yield from csv.DictReader(io.StringIO(text, newline=""))


def _place(row: Mapping[str, str]) -> Place:
    return Place(
        postcode=row["postcode"],
        place=row["place"],
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        district_code=row["district_code"] or None,
        district=row["district"] or None,
        state=row["state"] or None,
    )


class PostcodeDirectory:
    """Look-up of postal codes; build one with `load()` and keep it (loading reads a file)."""

    def __init__(self, places: Iterable[Place], districts: Mapping[str, str] | None = None) -> None:
        self._places = {p.postcode: p for p in places}
        found = {p.district_code: p.district for p in self._places.values()}
        merged = {code: name for code, name in found.items() if code and name}
        merged.update(districts or {})
        self._districts = dict(sorted(merged.items()))

    @classmethod
    def load(cls, path: Path | None = None) -> PostcodeDirectory:
        """Read a postcodes CSV (default: the bundled one) and a `districts.csv` beside it."""
        source: Traversable = path if path is not None else _bundled_data() / "postcodes.csv"
        places = [_place(row) for row in _read_rows(source)]
        # Districts that are never a code's majority district are listed only there.
        beside = (path.parent if path is not None else _bundled_data()) / "districts.csv"
        districts: dict[str, str] = {}
        if beside.is_file():
            districts = {r["district_code"]: r["district"] for r in _read_rows(beside)}
        return cls(places, districts)

    def lookup(self, postcode: str) -> Place | None:
        """The place of a postal code, or None if the code is unknown."""
        return self._places.get(postcode.strip())

    def __contains__(self, postcode: object) -> bool:
        return isinstance(postcode, str) and postcode.strip() in self._places

    def places_in(self, district_codes: Iterable[str]) -> list[Place]:
        """The places whose (majority) district is one of `district_codes`, by postal code."""
        wanted = set(district_codes)
        return sorted(
            (p for p in self._places.values() if p.district_code in wanted),
            key=lambda p: p.postcode,
        )

    def __len__(self) -> int:
        return len(self._places)

    def districts(self) -> dict[str, str]:
        """Every known district: 5-digit key → name, sorted by key."""
        return dict(self._districts)


@functools.cache
def default_directory() -> PostcodeDirectory:
    """The bundled directory, loaded on first use and shared afterwards."""
    return PostcodeDirectory.load()
