"""A small demo posting: a Chemikant vacancy in Leuna, a fitting profile in Schkopau,
and a profile in Kiel that is too far away to match."""

from __future__ import annotations

from typing import Any

import httpx

CHEMIKANT = "http://data.europa.eu/esco/occupation/chemical-production-operator"
GMP = "http://data.europa.eu/esco/skill/good-manufacturing-practice"
PLANT = "http://data.europa.eu/esco/skill/operate-chemical-plant"

VACANCY: dict[str, Any] = {
    "occupation": CHEMIKANT,
    "competences": [
        {"competence_id": GMP, "min_level": 3, "importance": "must"},
        {"competence_id": PLANT, "min_level": 2, "importance": "should"},
    ],
    "postcode": "06237",
    "radius_km": 40,
}
PROFILE_NEARBY: dict[str, Any] = {
    "occupations": [CHEMIKANT],
    "competences": [
        {"competence_id": GMP, "level": 3, "evidence": "certified"},
        {"competence_id": PLANT, "level": 2, "evidence": "employer_attested"},
    ],
    "postcode": "06258",
    "radius_km": 30,
}
PROFILE_FAR = {**PROFILE_NEARBY, "postcode": "24103"}


def post_demo(base_url: str) -> dict[str, str]:
    """Post the demo world; return the ids created."""
    with httpx.Client(base_url=base_url, timeout=10) as client:
        ids = {}
        for name, path, body in (
            ("vacancy (Leuna)", "/v1/vacancies", VACANCY),
            ("profile (Schkopau)", "/v1/profiles", PROFILE_NEARBY),
            ("profile (Kiel)", "/v1/profiles", PROFILE_FAR),
        ):
            response = client.post(path, json=body)
            response.raise_for_status()
            ids[name] = response.json()["id"]
        return ids
