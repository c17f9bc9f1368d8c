"""Training offers, subscriptions, deliveries, bulletins and matches × every kind.

Like test_access_matrix.py, the expectations are written out independently of the
permission table, so a change to either shows up as a failure.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from shared.topics import MATCHES
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant
from tests.integration.profiles.events import found, publish
from tests.integration.profiles.test_access_matrix import ROLES, row
from tests.integration.profiles.test_catalogue_api import bulletin, offer
from tests.integration.profiles.test_subscriptions_api import subscription
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.integration

OWNER = {"training-offers": "training_provider", "subscriptions": "hub", "bulletins": "association"}
BODY = {"training-offers": offer, "subscriptions": subscription, "bulletins": bulletin}
#                       firm other_firm hub other_hub agency other_ag far_ag assoc train admin
EXPECTED: dict[tuple[str, str], dict[str, int | str]] = {
    ("training-offers", "create"): row(403, 403, 403, 403, 403, 403, 403, 201, 201, 403),
    ("training-offers", "read"): row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("training-offers", "list"): row(*["in"] * 10),
    ("training-offers", "update"): row(403, 403, 403, 403, 403, 403, 403, 403, 200, 403),
    ("training-offers", "withdraw"): row(403, 403, 403, 403, 403, 403, 403, 403, 200, 403),
    ("subscriptions", "create"): row(201, 201, 201, 201, 201, 201, 201, 201, 403, 403),
    ("subscriptions", "read"): row(404, 404, 200, 404, 404, 404, 404, 404, 403, 200),
    ("subscriptions", "list"): row(*["out"] * 2, "in", *["out"] * 5, 403, "in"),
    ("subscriptions", "update"): row(404, 404, 200, 404, 404, 404, 404, 404, 403, 403),
    ("subscriptions", "cancel"): row(404, 404, 200, 404, 404, 404, 404, 404, 403, 403),
    ("subscriptions", "deliveries"): row(404, 404, 200, 404, 404, 404, 404, 404, 403, 403),
    ("bulletins", "create"): row(403, 403, 403, 403, 201, 201, 201, 201, 403, 403),
    ("bulletins", "read"): row(200, 200, 200, 404, 200, 200, 404, 200, 404, 200),
    ("bulletins", "list"): row("in", "in", "in", "out", "in", "in", "out", "in", "out", "in"),
}  # fmt: skip
# A firm's vacancy and an agency's profile (shared with agencies), both in Saalekreis.
MATCHES_EXPECTED: dict[str, dict[str, int | str]] = {
    "vacancy": row("in", 404, "in", 404, "in", "in", 404, 403, 403, "in"),
    "profile": row(404, 404, "in", 404, "in", "in", 404, 403, 403, "in"),
    "region": row("in", "out", "in", "out", "in", "in", "out", 403, 403, "in"),
}  # fmt: skip


async def _create(api: httpx.AsyncClient, resource: str, owner: Tenant) -> dict[str, Any]:
    response = await api.post(f"/v1/{resource}", json=BODY[resource](), headers=owner.auth)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _listed(
    api: httpx.AsyncClient, path: str, caller: Tenant, id_: str, **params: Any
) -> int | str:
    params["limit"] = 100
    while True:
        response = await api.get(path, params=params, headers=caller.auth)
        if response.status_code != 200:
            return response.status_code
        page = response.json()
        ids = [item.get("id") or item.get("profile_id") for item in page["items"]]
        if id_ in ids:
            return "in"
        if page["next_cursor"] is None:
            return "out"
        params["cursor"] = page["next_cursor"]


async def _act(
    api: httpx.AsyncClient, resource: str, action: str, caller: Tenant, target: dict[str, Any]
) -> int | str:
    path = f"/v1/{resource}/{target['id']}"
    headers = {**caller.auth, "If-Match": f'"{target["version"]}"'}
    if action == "create":
        sent = await api.post(f"/v1/{resource}", json=BODY[resource](), headers=caller.auth)
    elif action == "read":
        sent = await api.get(path, headers=caller.auth)
    elif action == "list":
        return await _listed(api, f"/v1/{resource}", caller, target["id"])
    elif action == "update":
        sent = await api.put(path, json=BODY[resource](), headers=headers)
    elif action == "deliveries":
        sent = await api.get(f"{path}/deliveries", headers=caller.auth)
    else:
        sent = await api.post(f"{path}/{action}", headers=headers)
    assert sent.headers["content-type"] in ("application/json", "application/problem+json")
    return sent.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("resource", "action"), list(EXPECTED))
async def test_each_kind_is_allowed_or_refused_as_documented(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant], resource: str, action: str, role: str
) -> None:
    target = await _create(shared_api, resource, tenants[OWNER[resource]])
    outcome = await _act(shared_api, resource, action, tenants[role], target)
    assert outcome == EXPECTED[(resource, action)][role]


@pytest.fixture(scope="module")
async def pair(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant], stack: StackUrls, module_topics: str
) -> tuple[str, str]:
    """A match projected from hub.matches.v1 between a firm's vacancy and an agency's profile."""
    vacancy = (
        await shared_api.post("/v1/vacancies", json=bodies.vacancy(), headers=tenants["firm"].auth)
    ).json()
    profile = (
        await shared_api.post("/v1/profiles", json=bodies.profile(), headers=tenants["agency"].auth)
    ).json()
    await publish(stack.kafka, module_topics, MATCHES, found(vacancy, profile))

    async def projected() -> bool:
        path = f"/v1/vacancies/{vacancy['id']}/matches"
        response = await shared_api.get(path, headers=tenants["admin"].auth)
        return bool(response.json()["items"])

    await eventually(projected, what="the match projected")
    return vacancy["id"], profile["id"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(MATCHES_EXPECTED))
async def test_matches_are_seen_by_owners_hubs_of_the_region_and_agencies_as_profiles(
    shared_api: httpx.AsyncClient,
    tenants: dict[str, Tenant],
    pair: tuple[str, str],
    view: str,
    role: str,
) -> None:
    vacancy_id, profile_id = pair
    caller = tenants[role]
    if view == "region":
        outcome = await _listed(shared_api, "/v1/matches", caller, profile_id, region=bodies.REGION)
    else:
        path = f"/v1/vacancies/{vacancy_id}" if view == "vacancy" else f"/v1/profiles/{profile_id}"
        outcome = await _listed(shared_api, f"{path}/matches", caller, profile_id)
    assert outcome == MATCHES_EXPECTED[view][role]


@pytest.mark.parametrize(
    "path", ["/v1/training-offers", "/v1/subscriptions", "/v1/bulletins", "/v1/matches"]
)
async def test_without_a_key_every_new_resource_is_401(
    shared_api: httpx.AsyncClient, path: str
) -> None:
    response = await shared_api.get(path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
