"""The competence catalogue resolves ESCO skills and the hub's own codes."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from shared.reference.competences import Competence, CompetenceCatalogue

SKILL = "http://data.europa.eu/esco/skill/"
GMP = SKILL + "13f22eb5-e3a8-405a-9d89-c8124d4a239a"
HUB_FILE = Path(__file__).parents[3] / "shared" / "reference" / "data" / "hub_competences.csv"
REQUIRED_HUB_CODES = (
    "dz:industrielle-teilereinigung",
    "dz:industrielle-reinigungstechnik",
    "dz:gmp-dokumentation",
    "dz:arbeitssicherheit",
    "dz:digitalisierte-produktion",
    "dz:deutsch-am-arbeitsplatz-b1",
    "dz:deutsch-am-arbeitsplatz-b2",
    "dz:digitale-grundkompetenzen-produktion",
    "dz:reinraumarbeit",
    "dz:feinoptik-montage",
    "dz:mikrotechnik-prozesssteuerung",
)


@pytest.fixture(scope="module")
def catalogue() -> CompetenceCatalogue:
    return CompetenceCatalogue.load()


def _get(catalogue: CompetenceCatalogue, competence_id: str) -> Competence:
    competence = catalogue.get(competence_id)
    assert competence is not None, competence_id
    return competence


def test_counts_match_the_source(catalogue: CompetenceCatalogue) -> None:
    esco = [c for c in catalogue if not c.is_hub_code]
    assert len(esco) == 13_896
    assert len(catalogue) == len(esco) + len(REQUIRED_HUB_CODES) + 2
    german = sum(1 for c in esco if c.label_de)
    assert 2_000 < german < 2_400


def test_gmp_skill_resolves_with_its_label(catalogue: CompetenceCatalogue) -> None:
    gmp = _get(catalogue, GMP)
    assert gmp.label_en == "good manufacturing practices"
    assert gmp.label == "good manufacturing practices"  # no German label in the source
    assert (gmp.skill_type, gmp.reuse_level) == ("knowledge", "sector-specific")
    assert GMP in catalogue


def test_german_label_is_preferred_when_present(catalogue: CompetenceCatalogue) -> None:
    german = _get(catalogue, SKILL + "2abb9db5-350c-444c-8292-0e0b2ce00f9a")
    assert german.label_en == "interact verbally in German"
    assert german.label_de is not None
    assert german.label == german.label_de


def test_required_hub_codes_resolve(catalogue: CompetenceCatalogue) -> None:
    for code in REQUIRED_HUB_CODES:
        competence = _get(catalogue, code)
        assert competence.is_hub_code
        assert competence.label_de
        assert competence.label_en
        assert competence.skill_type in {"skill/competence", "knowledge"}
    gmp = _get(catalogue, "dz:gmp-dokumentation")
    assert gmp.esco_uri == GMP
    assert gmp.label == "GMP-Dokumentation (Gute Herstellungspraxis)"


def test_hub_codes_map_only_to_known_esco_skills(catalogue: CompetenceCatalogue) -> None:
    with HUB_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert re.fullmatch(r"dz:[a-z0-9]+(-[a-z0-9]+)*", row["id"]), row["id"]
        if row["esco_uri"]:
            target = _get(catalogue, row["esco_uri"])
            assert not target.is_hub_code


def test_unknown_ids_are_absent(catalogue: CompetenceCatalogue) -> None:
    for unknown in ("dz:nope", SKILL + "00000000-0000-0000-0000-000000000000", "", "13f22eb5"):
        assert catalogue.get(unknown) is None
        assert unknown not in catalogue
    assert 42 not in catalogue


def test_search_is_case_insensitive_and_ranks_exact_matches_first(
    catalogue: CompetenceCatalogue,
) -> None:
    hits = catalogue.search("GOOD MANUFACTURING PRACTICES")
    assert hits[0].id == GMP
    cleanroom = catalogue.search("reinraum")
    assert cleanroom[0].id == "dz:reinraumarbeit"
    assert all(
        "reinraum" in c.label.casefold() or "reinraum" in c.label_en.casefold() for c in cleanroom
    )


def test_search_respects_the_limit(catalogue: CompetenceCatalogue) -> None:
    assert len(catalogue.search("manage", limit=5)) == 5
    assert catalogue.search("manage", limit=0) == []
    assert catalogue.search("   ") == []
    assert catalogue.search("zzzz-no-such-label") == []


def test_load_is_shared_per_process() -> None:
    assert CompetenceCatalogue.load() is CompetenceCatalogue.load()


def test_a_catalogue_can_be_built_from_competences() -> None:
    own = Competence("dz:x", None, "x-ray inspection", "skill/competence", None)
    catalogue = CompetenceCatalogue([own])
    assert catalogue.get("dz:x") == own
    assert own.label == "x-ray inspection"
    assert catalogue.search("X-RAY") == [own]
