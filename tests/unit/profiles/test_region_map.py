"""Drawing a region from postal-code centres: hulls, projection, drawing order."""

from __future__ import annotations

from services.profiles.domain.region_map import PADDING, WIDTH, convex_hull, region_map
from shared.reference.geo import Place, PostcodeDirectory
from shared.reference.regions import Regions


def _place(code: str, lat: float, lon: float, district: str) -> Place:
    return Place(code, code, lat, lon, district, None, None)


def test_the_hull_keeps_the_corners_and_drops_inner_and_collinear_points() -> None:
    square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]
    inner = [(1.0, 1.0), (1.0, 0.0), (0.5, 1.5)]
    hull = convex_hull([*square, *inner, (0.0, 0.0)])
    assert sorted(hull) == sorted(square)
    assert convex_hull([(1.0, 1.0), (3.0, 3.0)]) == [(1.0, 1.0), (3.0, 3.0)]


def test_north_is_up_east_is_right_and_everything_fits_the_drawing() -> None:
    places = [
        _place("1", 51.0, 11.0, "A"),
        _place("2", 51.0, 12.0, "A"),
        _place("3", 52.0, 11.5, "A"),
        _place("4", 51.5, 11.5, "B"),
    ]
    drawn = region_map(places, {"A": "Land A"})
    a = next(d for d in drawn.districts if d.code == "A")
    (west, north) = a.dots[0], a.dots[2]
    assert west[0] < a.dots[1][0]  # 11° E lies left of 12° E
    assert north[1] < west[1]  # 52° N lies above 51° N
    every = [p for d in drawn.districts for p in d.dots]
    assert min(x for x, _ in every) == PADDING
    assert max(max(x for x, _ in every), max(y for _, y in every)) <= WIDTH - PADDING + 0.1
    assert a.name == "Land A"
    assert next(d for d in drawn.districts if d.code == "B").name == "B"


def test_a_city_inside_its_district_is_drawn_after_it() -> None:
    region = Regions.load().get("halle-saalekreis")
    assert region is not None
    directory = PostcodeDirectory.load()
    drawn = region_map(directory.places_in(region.district_codes), directory.districts())
    assert [d.code for d in drawn.districts] == ["15088", "15002"]  # Saalekreis, then Halle
    halle = drawn.districts[1]
    assert len(halle.outline) >= 3
    assert len(halle.dots) == len([p for p in directory.places_in(["15002"])])
    assert "Halle" in halle.name
