"""A small demo world: a firm's Chemikant vacancy in Leuna, an agency's fitting profile in
Schkopau, and a profile in Kiel that is too far away to match.

The demo organisations and their keys are made through the admin CLI's service layer
(`services.profiles.service_layer.access.provision`); each run revokes the previous
demo keys and issues fresh ones.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from services.profiles.adapters.reference import Reference
from services.profiles.config import ProfilesSettings
from services.profiles.entrypoints.cli import Action, run_admin
from services.profiles.service_layer import access
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.events import OrganisationKind as Kind

# Real catalogue ids: Chemie- und Pharmatechnologe/-technologin (Chemikant), good
# manufacturing practices, chemical processes.
CHEMIKANT = "http://data.europa.eu/esco/occupation/5b3ef95b-7d99-4af9-b2d0-41c6bc33f58c"
GMP = "http://data.europa.eu/esco/skill/13f22eb5-e3a8-405a-9d89-c8124d4a239a"
PLANT = "http://data.europa.eu/esco/skill/74aa00bc-db99-4984-8817-7df2ca954ea1"
CONSENT: dict[str, Any] = {"given_at": "2026-01-10T09:30:00+01:00", "scope": "matching"}

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
    "consent": CONSENT,
}
PROFILE_FAR = {**PROFILE_NEARBY, "postcode": "24103"}
DEMO_ORGANISATIONS = {
    "firm": (Kind.FIRM, "Demo-Chemie GmbH (Leuna)"),
    "agency": (Kind.AGENCY, "Demo-Agentur für Arbeit Halle"),
}


def provision_demo(settings: ProfilesSettings | None = None) -> dict[str, str]:
    """Create (or reuse) the demo organisations; return a fresh API key for each."""

    def provisioner(kind: Kind, name: str) -> Action[str]:
        async def action(uow: ProfilesUnitOfWork, ref: Reference, pepper: bytes) -> str:
            _, token = await access.provision(uow, ref, pepper, kind=kind, name=name)
            return token

        return action

    async def provision_all() -> dict[str, str]:
        return {
            role: await run_admin(settings or ProfilesSettings(), provisioner(kind, name))
            for role, (kind, name) in DEMO_ORGANISATIONS.items()
        }

    return asyncio.run(provision_all())


def post_demo(base_url: str, keys: dict[str, str]) -> dict[str, str]:
    """Post the demo world with the demo keys; return the ids created."""
    with httpx.Client(base_url=base_url, timeout=10) as client:
        ids = {}
        for name, role, path, body in (
            ("vacancy (Leuna)", "firm", "/v1/vacancies", VACANCY),
            ("profile (Schkopau)", "agency", "/v1/profiles", PROFILE_NEARBY),
            ("profile (Kiel)", "agency", "/v1/profiles", PROFILE_FAR),
        ):
            headers = {"Authorization": f"Bearer {keys[role]}"}
            response = client.post(path, json=body, headers=headers)
            response.raise_for_status()
            ids[name] = response.json()["id"]
        return ids
