"""Input events that cannot be used are refused with a reason (and then dead-lettered)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from services.matching.service_layer.translate import Translator
from shared.events import InvalidEventError, ProfilePublishedV1
from tests.unit.matching.builders import GMP, PLANT, postcodes


def event(competence: str, postcode: str = "06258") -> ProfilePublishedV1:
    return ProfilePublishedV1.model_validate(
        {
            "profile_id": str(uuid4()),
            "version": 1,
            "occupations": [],
            "competences": [{"competence_id": competence, "level": 2}],
            "postcode": postcode,
            "radius_km": 30,
        }
    )


def test_unknown_competence_is_refused_only_when_a_catalogue_is_given() -> None:
    checked = Translator(postcodes(), {GMP})
    with pytest.raises(InvalidEventError, match="unknown competence"):
        checked.profile(event(PLANT))
    assert checked.profile(event(GMP)).competence_ids == (GMP,)
    assert Translator(postcodes(), None).profile(event(PLANT)).competence_ids == (PLANT,)


def test_unresolvable_postcode_is_refused() -> None:
    with pytest.raises(InvalidEventError, match="postcode"):
        Translator(postcodes(), None).profile(event(GMP, "00000"))
