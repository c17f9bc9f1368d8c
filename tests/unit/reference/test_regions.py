"""The default regions cover the intended districts, all of which exist."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shared.reference.geo import PostcodeDirectory, default_directory
from shared.reference.regions import Region, Regions

REGIONS_FILE = Path(__file__).parents[3] / "shared" / "reference" / "data" / "regions.csv"


@pytest.fixture(scope="module")
def regions() -> Regions:
    return Regions.load()


@pytest.fixture(scope="module")
def directory() -> PostcodeDirectory:
    return default_directory()


def _district_of(directory: PostcodeDirectory, postcode: str) -> str:
    place = directory.lookup(postcode)
    assert place is not None, postcode
    assert place.district_code is not None, postcode
    return place.district_code


def _region_ids(regions: Regions, district_code: str) -> set[str]:
    return {r.id for r in regions.of_district(district_code)}


def test_every_listed_district_exists_in_the_state_named(regions: Regions) -> None:
    with (REGIONS_FILE.parent / "districts.csv").open(encoding="utf-8", newline="") as fh:
        states = {row["district_code"]: row["state"] for row in csv.DictReader(fh)}
    assert len(states) == 400
    for region in regions.all():
        assert region.district_codes, region.id
        for code in region.district_codes:
            assert states.get(code) == region.state, (region.id, code)


def test_default_set_has_the_sixteen_hubs(regions: Regions) -> None:
    assert [r.id for r in regions.all()] == [
        "berlin",
        "bodensee-oberschwaben",
        "dresden",
        "erzgebirge",
        "esslingen",
        "freiburg-ortenau",
        "goeppingen",
        "halle-saalekreis",
        "ludwigsburg",
        "ostthueringen",
        "ostwuerttemberg",
        "reutlingen-neckar-alb",
        "schleswig-holstein",
        "schwaebisch-hall",
        "schwarzwald-hegau",
        "ulm",
    ]
    assert len(regions) == 16


def test_schkopau_is_in_halle_saalekreis(regions: Regions, directory: PostcodeDirectory) -> None:
    assert _region_ids(regions, _district_of(directory, "06258")) == {"halle-saalekreis"}
    halle = regions.get("halle-saalekreis")
    assert halle is not None
    assert halle.state == "Sachsen-Anhalt"
    assert halle.district_codes == {"15002", "15088"}


def test_jena_is_in_ostthueringen(regions: Regions, directory: PostcodeDirectory) -> None:
    assert _region_ids(regions, _district_of(directory, "07743")) == {"ostthueringen"}
    ost = regions.get("ostthueringen")
    assert ost is not None
    assert ost.name == "Ostthüringen (Jena)"
    assert len(ost.district_codes) == 6


def test_baden_wuerttemberg_towns_find_their_hub(
    regions: Regions, directory: PostcodeDirectory
) -> None:
    expected = {
        "73430": "ostwuerttemberg",  # Aalen, Ostalbkreis
        "89073": "ulm",
        "72764": "reutlingen-neckar-alb",
        "79098": "freiburg-ortenau",
        "78462": "schwarzwald-hegau",  # Konstanz
        "88045": "bodensee-oberschwaben",  # Friedrichshafen
    }
    for postcode, region_id in expected.items():
        assert _region_ids(regions, _district_of(directory, postcode)) == {region_id}, postcode


def test_schleswig_holstein_covers_all_its_districts(
    regions: Regions, directory: PostcodeDirectory
) -> None:
    sh = regions.get("schleswig-holstein")
    assert sh is not None
    sh_districts = {code for code in directory.districts() if code.startswith("01")}
    assert sh.district_codes == sh_districts
    assert len(sh_districts) == 15
    assert "schleswig-holstein" in _region_ids(regions, _district_of(directory, "24103"))


def test_districts_of_unites_regions(regions: Regions) -> None:
    codes = regions.districts_of(["berlin", "halle-saalekreis"])
    assert codes == {"11000", "15002", "15088"}
    assert regions.districts_of([]) == frozenset()


def test_districts_of_names_the_unknown_id(regions: Regions) -> None:
    with pytest.raises(KeyError, match="nope"):
        regions.districts_of(["berlin", "nope"])


def test_unknown_region_and_uncovered_district(regions: Regions) -> None:
    assert regions.get("nope") is None
    assert "nope" not in regions
    assert regions.of_district("09162") == []  # München is in no default hub


def test_a_district_can_belong_to_several_regions() -> None:
    regions = Regions(
        [
            Region("b", "B", "Sachsen", frozenset({"14612", "14627"})),
            Region("a", "A", "Sachsen", frozenset({"14612"})),
        ]
    )
    assert [r.id for r in regions.of_district("14612")] == ["a", "b"]
    assert [r.id for r in regions.all()] == ["a", "b"]


def test_load_is_shared_per_process() -> None:
    assert Regions.load() is Regions.load()
    assert Regions.load(REGIONS_FILE) is not Regions.load()
