"""ESCO's occupation–skill relations load with full URIs."""

from __future__ import annotations

import pytest

from shared.reference.competences import CompetenceCatalogue
from shared.reference.occupation_skills import OccupationSkills
from shared.reference.occupations import OccupationCatalogue

OCCUPATION = "http://data.europa.eu/esco/occupation/"
SKILL = "http://data.europa.eu/esco/skill/"
CHEMICAL_MIXER = OCCUPATION + "5b3ef95b-7d99-4af9-b2d0-41c6bc33f58c"
FERMENTER_OPERATOR = OCCUPATION + "d3382c5a-589f-453d-a6d8-d28695057079"


@pytest.fixture(scope="module")
def relations() -> OccupationSkills:
    return OccupationSkills.load()


def test_counts_match_the_source(relations: OccupationSkills) -> None:
    occupations = relations.occupations()
    assert len(occupations) == len(relations) == 3_007
    assert occupations == sorted(occupations)
    total = sum(len(relations.essential(o)) + len(relations.optional(o)) for o in occupations)
    # 123,855 source rows less the 67 of one occupation that no occupations file lists.
    assert total == 123_788
    # Only "specialist dentist" lists optional skills alone.
    without_essential = [o for o in occupations if not relations.essential(o)]
    assert without_essential == [OCCUPATION + "a580e79a-b752-49c1-b033-b5ab2b34bfba"]


def test_chemical_production_operator_has_essential_skills(relations: OccupationSkills) -> None:
    essential = relations.essential(CHEMICAL_MIXER)
    assert len(essential) >= 5
    assert essential == sorted(essential)
    assert all(skill.startswith(SKILL) and len(skill) == len(SKILL) + 36 for skill in essential)
    assert not set(essential) & set(relations.optional(CHEMICAL_MIXER))


def test_fermenter_operator_needs_gmp(relations: OccupationSkills) -> None:
    catalogue = CompetenceCatalogue.load()
    skills = relations.essential(FERMENTER_OPERATOR) + relations.optional(FERMENTER_OPERATOR)
    labels = {catalogue.get(s).label_en for s in skills if catalogue.get(s)}  # type: ignore[union-attr]
    assert len(labels) == len(skills)
    assert any("GMP" in label or "manufacturing practice" in label for label in labels)


def test_every_relation_resolves_in_the_catalogues(relations: OccupationSkills) -> None:
    competences, occupations = CompetenceCatalogue.load(), OccupationCatalogue.load()
    for occupation in relations.occupations():
        assert occupation in occupations
        for skill in relations.essential(occupation) + relations.optional(occupation):
            assert skill in competences


def test_unknown_occupation_has_no_skills(relations: OccupationSkills) -> None:
    assert relations.essential(OCCUPATION + "nope") == []
    assert relations.optional("41322") == []
    assert "41322" not in relations


def test_returned_lists_are_copies(relations: OccupationSkills) -> None:
    relations.essential(CHEMICAL_MIXER).clear()
    assert relations.essential(CHEMICAL_MIXER)


def test_relations_can_be_built_from_mappings() -> None:
    relations = OccupationSkills({"o2": ["s1"], "o1": ["s2"]}, {"o1": ["s3"], "o3": ["s4"]})
    assert relations.occupations() == ["o1", "o2", "o3"]
    assert (relations.essential("o1"), relations.optional("o1")) == (["s2"], ["s3"])
    assert relations.essential("o3") == []


def test_load_is_shared_per_process() -> None:
    assert OccupationSkills.load() is OccupationSkills.load()
