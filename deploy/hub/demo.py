"""Load the demo world (`demo_world.json`) into a running hub through its public API.

The demo organisations and their keys are made through the admin CLI's service layer
(`services.profiles.service_layer.access.provision`): each load revokes the previous
demo keys and issues fresh ones. Every posting carries its stable key as
`Idempotency-Key`, so loading the world again posts nothing twice.

The small constants below are the world's first pair in isolation (a Chemikant
vacancy in Leuna, a fitting profile in Schkopau, the same profile in Kiel); tests
and benchmarks post them as typical bodies.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from deploy.hub.world import Posting, World, load_world
from services.profiles.adapters.reference import Reference
from services.profiles.config import ProfilesSettings
from services.profiles.entrypoints.cli import run_admin
from services.profiles.service_layer import access
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.events import OrganisationKind

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


def provision_demo(
    settings: ProfilesSettings | None = None, world: World | None = None
) -> dict[str, str]:
    """Create (or reuse) every demo organisation in one transaction; a fresh key per role."""
    orgs = (world or load_world()).organisations

    async def action(uow: ProfilesUnitOfWork, ref: Reference, pepper: bytes) -> dict[str, str]:
        keys = {}
        for org in orgs:
            _, keys[org.role] = await access.provision(
                uow, ref, pepper, kind=OrganisationKind(org.kind), name=org.name,
                region_ids=org.regions,
            )  # fmt: skip
        return keys

    return asyncio.run(run_admin(settings or ProfilesSettings(), action))


def _post(client: httpx.Client, path: str, posting: Posting, key: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": f"demo:{posting.key}"}
    response = client.post(path, json=posting.body, headers=headers)
    if response.status_code >= 400:
        raise RuntimeError(f"{posting.key}: {response.status_code} {response.text}")
    created: dict[str, Any] = response.json()
    return created


def _subscribe(client: httpx.Client, world: World, keys: dict[str, str], receiver: str) -> None:
    # First, so that the hubs hear of every match; each secret reaches the receiver
    # before anything can be delivered with it.
    for posting in world.subscriptions:
        created = _post(client, "/v1/subscriptions", posting, keys[posting.by])
        response = httpx.post(f"{receiver}/secrets", json={"secret": created["signing_secret"]})
        response.raise_for_status()


def post_demo(
    base_url: str, keys: dict[str, str], *, receiver: str | None = None, world: World | None = None
) -> dict[str, str]:
    """Post the world with the demo keys; return posting keys (and people's references) → ids.

    With `receiver` (the demo receiver's base URL) the hubs subscribe to it first.
    """
    world = world or load_world(receiver=f"{receiver}/webhook" if receiver else None)
    ids: dict[str, str] = {}
    with httpx.Client(base_url=base_url, timeout=30) as client:
        if receiver is not None:
            _subscribe(client, world, keys, receiver)
        for posting in world.training_offers:
            ids[posting.key] = _post(client, "/v1/training-offers", posting, keys[posting.by])["id"]
        for posting in world.staff_releases:
            release = _post(client, "/v1/staff-releases", posting, keys[posting.by])
            ids[posting.key] = release["id"]
            ids.update({p["reference"]: p["profile_id"] for p in release["people"]})
        for posting in world.profiles:
            ids[posting.key] = _post(client, "/v1/profiles", posting, keys[posting.by])["id"]
        for posting in world.vacancies:
            ids[posting.key] = _post(client, "/v1/vacancies", posting, keys[posting.by])["id"]
    return ids
