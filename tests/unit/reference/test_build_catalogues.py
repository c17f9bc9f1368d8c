"""The build derives compact, reproducible tables that the loaders read back."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shared.reference import build_catalogues
from shared.reference.competences import CompetenceCatalogue
from shared.reference.occupation_skills import OccupationSkills
from shared.reference.occupations import OccupationCatalogue

SKILL = "http://data.europa.eu/esco/skill/"
OCCUPATION = "http://data.europa.eu/esco/occupation/"
S1, S2, S3 = (f"{n}0000000-0000-0000-0000-000000000000" for n in "abc")
O1, O2, O3, GONE = (f"{n}1111111-1111-1111-1111-111111111111" for n in "def9")


def _write(path: Path, fields: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(fields)
        writer.writerows(rows)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    root = tmp_path / "source"
    en, de = root / "esco" / "v1.1.1-en", root / "esco" / "v1.2.1-de"
    skill_fields = ["conceptUri", "skillType", "reuseLevel", "preferredLabel"]
    _write(
        en / "skills_en.csv",
        skill_fields,
        [
            [SKILL + S2, "knowledge", "cross-sector", "chemistry"],
            [SKILL + S1, "skill/competence", "sector-specific", "mix chemicals"],
            [SKILL + S3, "", "", "digital data processing"],
        ],
    )
    _write(
        de / "digitalSkillsCollection_de.csv",
        ["conceptUri", "preferredLabel"],
        [[SKILL + S3, "Verarbeitung digitaler Daten"]],
    )
    occ_fields = ["conceptUri", "iscoGroup", "preferredLabel", "altLabels"]
    _write(
        en / "occupations_en.csv",
        occ_fields,
        [
            [OCCUPATION + O2, "8131", "chemical mixer", "mixer"],
            [OCCUPATION + O1, "2113", "chemist", ""],
        ],
    )
    _write(
        de / "occupations_de.csv",
        occ_fields,
        [
            [
                OCCUPATION + O2,
                "8131",
                "Chemietechnologe/Chemietechnologin",
                "Chemikantin\nChemikant\nChemietechnologe/Chemietechnologin",
            ],
            [OCCUPATION + O3, "3116", "Batterietechniker/Batterietechnikerin", ""],
        ],
    )
    relation_fields = ["occupationUri", "relationType", "skillType", "skillUri"]
    _write(
        en / "occupationSkillRelations.csv",
        relation_fields,
        [
            [OCCUPATION + O2, "optional", "knowledge", SKILL + S2],
            [OCCUPATION + O2, "essential", "skill/competence", SKILL + S3],
            [OCCUPATION + O2, "essential", "skill/competence", SKILL + S1],
            [OCCUPATION + GONE, "essential", "skill/competence", SKILL + S1],
        ],
    )
    _write(
        root / "kldb" / "kldb2010_v2020_titles.csv",
        ["kldb_code", "level", "title", "short_title"],
        [
            ["4131", "4", "Chemie- und Pharmatechnik", "Chemie"],
            ["41312", "5", "Chemie – Fachkraft", "Chemie - FK"],
        ],
    )
    return root


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    _write(
        out / "hub_competences.csv",
        ["id", "label_de", "label_en", "skill_type", "reuse_level", "esco_uri"],
        [["dz:mischen", "Mischen", "Mixing", "skill/competence", "", SKILL + S1]],
    )
    return out


def test_build_writes_tables_the_loaders_read(source: Path, out_dir: Path) -> None:
    counts = build_catalogues.build(source, out_dir)
    assert counts == {"competences": 3, "occupations": 4, "relations": 3}
    competences = CompetenceCatalogue.load(out_dir)
    assert len(competences) == 4
    digital = competences.get(SKILL + S3)
    assert digital is not None
    assert (digital.label, digital.skill_type, digital.reuse_level) == (
        "Verarbeitung digitaler Daten",
        "skill/competence",
        None,
    )
    hub = competences.get("dz:mischen")
    assert hub is not None
    assert hub.esco_uri == SKILL + S1


def test_occupations_join_both_versions_and_kldb(source: Path, out_dir: Path) -> None:
    build_catalogues.build(source, out_dir)
    occupations = OccupationCatalogue.load(out_dir)
    mixer = occupations.get(OCCUPATION + O2)
    assert mixer is not None
    assert (mixer.title_en, mixer.title_de, mixer.isco_group) == (
        "chemical mixer",
        "Chemietechnologe/Chemietechnologin",
        "8131",
    )
    assert occupations.alt_labels(OCCUPATION + O2) == ("Chemikant", "Chemikantin")
    german_only = occupations.get(OCCUPATION + O3)
    assert german_only is not None
    assert german_only.title_en is None
    assert "4131" not in occupations
    kldb = occupations.get("41312")
    assert kldb is not None
    assert kldb.kldb_code == "41312"
    assert [o.id for o in occupations.search("chemikant")] == [OCCUPATION + O2]


def test_relations_are_grouped_sorted_and_expanded(source: Path, out_dir: Path) -> None:
    build_catalogues.build(source, out_dir)
    relations = OccupationSkills.load(out_dir)
    assert relations.occupations() == [OCCUPATION + O2]
    assert relations.essential(OCCUPATION + O2) == [SKILL + S1, SKILL + S3]
    assert relations.optional(OCCUPATION + O2) == [SKILL + S2]
    assert relations.essential(OCCUPATION + GONE) == []


def test_rebuild_gives_identical_bytes(source: Path, out_dir: Path) -> None:
    names = ("competences.csv", "occupations.csv", "occupation_skills.csv.gz")
    build_catalogues.build(source, out_dir)
    first = {name: (out_dir / name).read_bytes() for name in names}
    build_catalogues.build(source, out_dir)
    assert {name: (out_dir / name).read_bytes() for name in names} == first


def test_hub_code_with_unknown_esco_skill_fails_the_build(source: Path, out_dir: Path) -> None:
    _write(
        out_dir / "hub_competences.csv",
        ["id", "label_de", "label_en", "skill_type", "reuse_level", "esco_uri"],
        [
            [
                "dz:weg",
                "Weg",
                "Gone",
                "knowledge",
                "",
                SKILL + "ffffffff-0000-0000-0000-000000000000",
            ]
        ],
    )
    with pytest.raises(ValueError, match="dz:weg"):
        build_catalogues.build(source, out_dir)


def test_main_rejects_wrong_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert build_catalogues.main([]) == 2
    assert "usage" in capsys.readouterr().err
