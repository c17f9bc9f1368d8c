"""Bulk creation: good items stored with their events, bad ones refused alone, keys replayed."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant

pytestmark = pytest.mark.integration


def _items(*item_bodies: dict[str, Any]) -> dict[str, Any]:
    run = uuid.uuid4().hex[:8]
    return {"items": [{"key": f"{run}-{i}", "body": b} for i, b in enumerate(item_bodies)]}


async def _stored(db: asyncpg.Connection, org: uuid.UUID) -> int:
    count: int = await db.fetchval(
        "SELECT count(*) FROM profiles.vacancies WHERE organisation_id = $1", org
    )
    return count


async def test_good_items_are_stored_and_each_bad_one_is_named(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant], db: asyncpg.Connection
) -> None:
    firm = tenants["other_firm"]
    before = await _stored(db, firm.org_id)
    outbox_before = await db.fetchval("SELECT count(*) FROM profiles.outbox")
    request = _items(
        bodies.vacancy(),
        bodies.vacancy(postcode="00000"),
        bodies.vacancy(radius_km=-1),
        bodies.vacancy(title="Schichtleiter"),
    )
    response = await shared_api.post("/v1/batch/vacancies", json=request, headers=firm.auth)
    assert response.status_code == 200, response.text
    out = response.json()
    assert (out["stored"], out["replayed"], out["rejected"]) == (2, 0, 2)
    statuses = [r["status"] for r in out["results"]]
    assert statuses == [201, 422, 422, 201]
    unknown = out["results"][1]["problem"]["errors"][0]
    assert unknown == {"field": "postcode", "message": "unknown postal code '00000'",
                       "value": "00000"}  # fmt: skip
    assert out["results"][2]["problem"]["errors"][0]["field"] == "radius_km"
    assert await _stored(db, firm.org_id) == before + 2
    assert await db.fetchval("SELECT count(*) FROM profiles.outbox") == outbox_before + 2

    again = await shared_api.post("/v1/batch/vacancies", json=request, headers=firm.auth)
    replay = again.json()
    assert (replay["stored"], replay["replayed"], replay["rejected"]) == (0, 2, 2)
    assert [r["id"] for r in replay["results"]] == [r["id"] for r in out["results"]]
    assert await _stored(db, firm.org_id) == before + 2


async def test_a_key_reused_for_another_body_is_refused_and_a_single_post_replays(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    firm = tenants["firm"]
    request = _items(bodies.vacancy())
    key = request["items"][0]["key"]
    first = await shared_api.post("/v1/batch/vacancies", json=request, headers=firm.auth)
    stored_id = first.json()["results"][0]["id"]
    single = await shared_api.post(
        "/v1/vacancies", json=bodies.vacancy(), headers={**firm.auth, "Idempotency-Key": key}
    )
    assert single.json()["id"] == stored_id
    request["items"][0]["body"] = bodies.vacancy(title="Another")
    reused = await shared_api.post("/v1/batch/vacancies", json=request, headers=firm.auth)
    assert reused.json()["results"][0]["status"] == 409


async def test_profiles_and_offers_follow_each_kinds_rules(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    agency = tenants["agency"]
    profiles = await shared_api.post(
        "/v1/batch/profiles", json=_items(bodies.profile()), headers=agency.auth
    )
    assert profiles.json()["results"][0]["status"] == 201
    refused = await shared_api.post(
        "/v1/batch/training-offers", json=_items({"title": "x"}), headers=agency.auth
    )
    assert refused.json()["results"][0]["status"] == 422
    unauthenticated = await shared_api.post("/v1/batch/profiles", json=_items(bodies.profile()))
    assert unauthenticated.status_code == 401
