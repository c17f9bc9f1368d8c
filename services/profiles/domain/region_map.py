"""A hub's region as a drawing: districts outlined from their postal-code centres.

The bundled reference data has no district borders, only the centre of every postal
code with its district. A district is drawn as the convex hull of its centres (an
honest approximation, labelled as such on the dashboard) with each centre as a dot.
Coordinates are projected equirectangularly around the region's mid latitude, which
is accurate to well under one per cent across a region a hundred kilometres wide.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from shared.reference.geo import Place

Point = tuple[float, float]
WIDTH = 1000.0
PADDING = 40.0


@dataclass(frozen=True, slots=True)
class DistrictShape:
    """One district on the map: outline, dots (postal-code centres) and label anchor."""

    code: str
    name: str
    outline: tuple[Point, ...]
    dots: tuple[Point, ...]
    centre: Point


@dataclass(frozen=True, slots=True)
class RegionMap:
    """The drawing's size and its districts, in drawing units (y grows downwards)."""

    width: float
    height: float
    districts: tuple[DistrictShape, ...]


def convex_hull(points: Iterable[Point]) -> list[Point]:
    """The convex hull, counter-clockwise, by Andrew's monotone chain (collinear dropped)."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    def half(seq: Sequence[Point]) -> list[Point]:
        chain: list[Point] = []
        for p in seq:
            while len(chain) >= 2 and cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        return chain

    lower, upper = half(pts), half(pts[::-1])
    return lower[:-1] + upper[:-1]


def _projector(places: Sequence[Place]) -> tuple[float, float, Callable[[float, float], Point]]:
    lats, lons = [p.lat for p in places], [p.lon for p in places]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * kx, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = (WIDTH - 2 * PADDING) / max(span_x, span_y)
    height = span_y * scale + 2 * PADDING
    width = span_x * scale + 2 * PADDING

    def project(lat: float, lon: float) -> Point:
        x = PADDING + (lon - min(lons)) * kx * scale
        y = PADDING + (max(lats) - lat) * scale
        return (round(x, 1), round(y, 1))

    return width, height, project


def region_map(places: Sequence[Place], names: dict[str, str]) -> RegionMap:
    """Draw the districts of `places` (a region's postal codes); `names` labels them."""
    if not places:
        return RegionMap(WIDTH, WIDTH / 2, ())
    width, height, project = _projector(places)
    by_district: dict[str, list[Point]] = {}
    for place in places:
        if place.district_code is not None:
            by_district.setdefault(place.district_code, []).append(project(place.lat, place.lon))
    shapes = []
    for code, dots in sorted(by_district.items()):
        centre = (
            round(sum(x for x, _ in dots) / len(dots), 1),
            round(sum(y for _, y in dots) / len(dots), 1),
        )
        shapes.append(
            DistrictShape(
                code, names.get(code, code), tuple(convex_hull(dots)), tuple(dots), centre
            )
        )
    # Largest first: a city inside its surrounding district is drawn on top of it.
    shapes.sort(key=lambda shape: -_area(shape.outline))
    return RegionMap(round(width, 1), round(height, 1), tuple(shapes))


def _area(outline: Sequence[Point]) -> float:
    """Area of a simple polygon (shoelace formula)."""
    pairs = zip(outline, [*outline[1:], *outline[:1]], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2
