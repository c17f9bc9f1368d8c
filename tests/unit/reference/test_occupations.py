"""The occupation catalogue resolves ESCO occupations and KldB 2010 codes."""

from __future__ import annotations

import pytest

from shared.reference.occupations import Occupation, OccupationCatalogue, is_kldb_code

OCCUPATION = "http://data.europa.eu/esco/occupation/"
CHEMICAL_MIXER = OCCUPATION + "5b3ef95b-7d99-4af9-b2d0-41c6bc33f58c"
FERMENTER_OPERATOR = OCCUPATION + "d3382c5a-589f-453d-a6d8-d28695057079"


@pytest.fixture(scope="module")
def catalogue() -> OccupationCatalogue:
    return OccupationCatalogue.load()


def _get(catalogue: OccupationCatalogue, occupation_id: str) -> Occupation:
    occupation = catalogue.get(occupation_id)
    assert occupation is not None, occupation_id
    return occupation


def test_counts_match_the_sources(catalogue: OccupationCatalogue) -> None:
    kldb = [o for o in catalogue if o.kldb_code]
    esco = [o for o in catalogue if not o.kldb_code]
    assert len(kldb) == 1_301
    # 3,007 English and 3,039 German concepts, 3,004 in both.
    assert len(esco) == 3_042
    assert sum(1 for o in esco if o.title_en) == 3_007
    assert sum(1 for o in esco if o.title_de) == 3_039
    assert all(o.isco_group and len(o.isco_group) == 4 for o in esco)


def test_chemikant_occupation_has_a_german_title(catalogue: OccupationCatalogue) -> None:
    mixer = _get(catalogue, CHEMICAL_MIXER)
    assert mixer.title_en == "chemical mixer"
    assert mixer.title_de == "Chemie- und Pharmatechnologe/Chemie- und Pharmatechnologin"
    assert mixer.isco_group == "8131"
    assert "Chemikant" in catalogue.alt_labels(CHEMICAL_MIXER)
    found = {o.id for o in catalogue.search("Chemikant")}
    assert CHEMICAL_MIXER in found


def test_pharmakant_occupation_is_found_by_its_german_name(catalogue: OccupationCatalogue) -> None:
    hits = catalogue.search("pharmakant")
    assert [o.id for o in hits] == [FERMENTER_OPERATOR]
    assert hits[0].title_en == "fermenter operator"


def test_kldb_code_resolves(catalogue: OccupationCatalogue) -> None:
    lab = _get(catalogue, "41322")
    assert lab.kldb_code == "41322"
    assert lab.title_de is not None
    assert lab.title_de.startswith("Berufe im chemisch-technischen Laboratorium")
    assert (lab.title_en, lab.isco_group) == (None, None)
    assert _get(catalogue, "41312").title == (
        "Berufe in der Chemie- und Pharmatechnik – fachlich ausgerichtete Tätigkeiten"
    )


def test_only_five_digit_kldb_codes_are_occupations(catalogue: OccupationCatalogue) -> None:
    assert "4132" not in catalogue  # a level-4 group, not an occupation code
    assert is_kldb_code("41322")
    assert not is_kldb_code("4132")
    assert not is_kldb_code("4132x")


def test_unknown_ids_are_absent(catalogue: OccupationCatalogue) -> None:
    for unknown in ("00000", OCCUPATION + "nope", "5b3ef95b-7d99-4af9-b2d0-41c6bc33f58c"):
        assert catalogue.get(unknown) is None
        assert unknown not in catalogue
    assert None not in catalogue


def test_title_matches_rank_before_alternative_labels(catalogue: OccupationCatalogue) -> None:
    hits = catalogue.search("feinoptik")
    titles = [o.title for o in hits]
    assert titles[0] == "Feinoptiker/Feinoptikerin"
    # "Feinwerkmechaniker" matches only through its alternative label "Feinoptiker".
    assert titles[-1] == "Feinwerkmechaniker/Feinwerkmechanikerin"
    assert {"21362", "21363"} <= {o.id for o in hits}


def test_english_titles_are_searchable(catalogue: OccupationCatalogue) -> None:
    assert catalogue.search("Chemical Mixer")[0].id == CHEMICAL_MIXER
    assert len(catalogue.search("operator", limit=3)) == 3


def test_load_is_shared_per_process() -> None:
    assert OccupationCatalogue.load() is OccupationCatalogue.load()
