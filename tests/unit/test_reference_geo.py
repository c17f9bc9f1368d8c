"""The bundled postal-code table resolves real codes to the right districts and distances."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shared.reference import build_postcodes
from shared.reference.geo import (
    Place,
    PostcodeDirectory,
    default_directory,
    haversine_km,
    is_valid_postcode_format,
)


@pytest.fixture(scope="module")
def directory() -> PostcodeDirectory:
    return PostcodeDirectory.load()


def _place(directory: PostcodeDirectory, postcode: str) -> Place:
    place = directory.lookup(postcode)
    assert place is not None, postcode
    return place


def test_schkopau_is_in_saalekreis(directory: PostcodeDirectory) -> None:
    place = _place(directory, "06258")
    assert place.place == "Schkopau"
    assert place.district_code == "15088"
    assert place.district == "Saalekreis"
    assert place.state == "Sachsen-Anhalt"


def test_leuna_is_a_neighbour_of_schkopau(directory: PostcodeDirectory) -> None:
    schkopau, leuna = _place(directory, "06258"), _place(directory, "06237")
    # The code centroids are about 10.6 km apart (the towns' centres about 11 km).
    assert haversine_km(schkopau.lat, schkopau.lon, leuna.lat, leuna.lon) < 12


def test_kiel_is_far_from_schkopau(directory: PostcodeDirectory) -> None:
    schkopau, kiel = _place(directory, "06258"), _place(directory, "24103")
    assert kiel.district == "Kreisfreie Stadt Kiel"
    assert 330 < haversine_km(schkopau.lat, schkopau.lon, kiel.lat, kiel.lon) < 370


def test_unknown_code_is_none(directory: PostcodeDirectory) -> None:
    assert directory.lookup("00000") is None
    assert "00000" not in directory
    assert "06258" in directory


def test_counts_match_the_source(directory: PostcodeDirectory) -> None:
    assert len(directory) == 8308
    districts = directory.districts()
    assert len(districts) == 400
    assert all(len(code) == 5 and code.isdigit() for code in districts)
    assert districts["15088"] == "Saalekreis"


def test_minority_only_districts_are_still_listed(directory: PostcodeDirectory) -> None:
    # Schwabach's only code 91126 has more rows in Landkreis Roth, so only districts.csv
    # keeps the city's district.
    assert _place(directory, "91126").district_code == "09576"
    assert directory.districts()["09565"] == "Kreisfreie Stadt Schwabach"


def test_code_without_state_has_no_district(directory: PostcodeDirectory) -> None:
    jungholz = _place(directory, "87491")
    assert jungholz.place == "Jungholz"
    assert (jungholz.district_code, jungholz.district, jungholz.state) == (None, None, None)


def test_default_directory_is_loaded_once() -> None:
    assert default_directory() is default_directory()
    assert len(default_directory()) == 8308


def test_haversine_berlin_munich() -> None:
    assert haversine_km(52.5200, 13.4050, 48.1351, 11.5820) == pytest.approx(504, abs=5)
    assert haversine_km(51.4, 12.0, 51.4, 12.0) == 0


@pytest.mark.parametrize("text", ["1234", "123456", "12a45", "", " 6258", "٠٦٢٥٨"])
def test_format_validator_rejects(text: str) -> None:
    assert not is_valid_postcode_format(text)


@pytest.mark.parametrize("text", ["06258", "24103", "00000"])
def test_format_validator_accepts(text: str) -> None:
    assert is_valid_postcode_format(text)


def _source_row(zipcode: str, place: str, district: str, lat: str) -> dict[str, str]:
    return {
        "country_code": "DE",
        "zipcode": zipcode,
        "place": place,
        "state": "Bayern",
        "state_code": "BY",
        "province": "",
        "province_code": "00",
        "community": f"Kreis {district}",
        "community_code": district,
        "latitude": lat,
        "longitude": "11.0",
    }


def test_build_picks_majority_district_and_covering_place(tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    rows = [
        _source_row("91126", "Rednitzhembach", "09576", "49.0"),
        _source_row("91126", "Schwabach", "09565", "49.2"),
        _source_row("91126", "Kammerstein Haag", "09576", "49.3"),
        _source_row("91126", "Kammerstein", "09576", "49.5"),
    ]
    with source.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    assert build_postcodes.build(source, tmp_path / "out") == (1, 2)
    built = PostcodeDirectory.load(tmp_path / "out" / "postcodes.csv")
    place = _place(built, "91126")
    assert (place.district_code, place.place) == ("09576", "Kammerstein")
    assert place.lat == pytest.approx(49.25)
    assert built.districts() == {"09565": "Kreis 09565", "09576": "Kreis 09576"}
