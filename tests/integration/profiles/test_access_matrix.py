"""Every resource × every organisation kind: allowed and refused, against the real stack.

The expectations are written out here, independently of the permission table in
services/profiles/domain/permissions.py, so a change to either shows up as a failure.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant

pytestmark = pytest.mark.integration

ROLES = (
    "firm", "other_firm", "hub", "other_hub", "agency", "other_agency", "far_agency",
    "association", "training_provider", "admin",
)  # fmt: skip
# Who posts the target of each resource: vacancies and releases a firm, profiles an agency.
OWNER = {"vacancies": "firm", "staff-releases": "firm", "profiles": "agency"}


def row(*statuses: int | str) -> dict[str, int | str]:
    """Expected outcomes in the order of ROLES."""
    return dict(zip(ROLES, statuses, strict=True))


#                       firm other_firm hub other_hub agency other_ag far_ag assoc train admin
EXPECTED: dict[tuple[str, str], dict[str, int | str]] = {
    ("vacancies", "create"): row(201, 201, 403, 403, 201, 201, 201, 403, 403, 403),
    ("vacancies", "read"): row(200, 404, 200, 404, 200, 200, 404, 403, 403, 200),
    ("vacancies", "list"): row("in", "out", "in", "out", "in", "in", "out", 403, 403, "in"),
    ("vacancies", "update"): row(200, 404, 403, 403, 403, 403, 404, 403, 403, 403),
    ("vacancies", "close"): row(200, 404, 403, 403, 403, 403, 404, 403, 403, 403),
    ("staff-releases", "create"): row(201, 201, 403, 403, 403, 403, 403, 403, 403, 403),
    ("staff-releases", "read"): row(200, 404, 200, 404, 403, 403, 403, 403, 403, 200),
    ("staff-releases", "list"): row("in", "out", "in", "out", 403, 403, 403, 403, 403, "in"),
    ("staff-releases", "update"): row(200, 404, 403, 403, 403, 403, 403, 403, 403, 403),
    ("staff-releases", "withdraw"): row(200, 404, 403, 403, 403, 403, 403, 403, 403, 403),
    ("profiles", "create"): row(403, 403, 201, 201, 201, 201, 201, 403, 403, 403),
    ("profiles", "read"): row(404, 404, 200, 404, 200, 200, 404, 403, 403, 200),
    ("profiles", "list"): row("out", "out", "in", "out", "in", "in", "out", 403, 403, "in"),
    ("profiles", "update"): row(404, 404, 403, 404, 200, 403, 404, 403, 403, 403),
    ("profiles", "erase"): row(404, 404, 403, 404, 204, 403, 404, 403, 403, 204),
}
BODY = {
    "vacancies": bodies.vacancy,
    "staff-releases": bodies.release,
    "profiles": bodies.profile,
}


async def _create(api: httpx.AsyncClient, resource: str, owner: Tenant) -> dict[str, Any]:
    response = await api.post(f"/v1/{resource}", json=BODY[resource](), headers=owner.auth)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _listed(api: httpx.AsyncClient, resource: str, caller: Tenant, id_: str) -> int | str:
    params: dict[str, Any] = {"limit": 100}
    while True:
        response = await api.get(f"/v1/{resource}", params=params, headers=caller.auth)
        if response.status_code != 200:
            return response.status_code
        page = response.json()
        if id_ in [item["id"] for item in page["items"]]:
            return "in"
        if page["next_cursor"] is None:
            return "out"
        params["cursor"] = page["next_cursor"]


async def _act(
    api: httpx.AsyncClient, resource: str, action: str, caller: Tenant, target: dict[str, Any]
) -> int | str:
    path, match = f"/v1/{resource}/{target['id']}", {"If-Match": f'"{target["version"]}"'}
    headers = {**caller.auth, **match}
    if action == "create":
        sent = await api.post(f"/v1/{resource}", json=BODY[resource](), headers=caller.auth)
    elif action == "read":
        sent = await api.get(path, headers=caller.auth)
    elif action == "list":
        return await _listed(api, resource, caller, target["id"])
    elif action == "update":
        body = bodies.release() if resource == "staff-releases" else BODY[resource]()
        body.pop("people", None)
        body.pop("consent", None)
        sent = await api.put(path, json=body, headers=headers)
    elif action == "erase":
        sent = await api.delete(path, headers=caller.auth)
    else:
        body = {"reason": "filled"} if action == "close" else {"erase_profiles": False}
        sent = await api.post(f"{path}/{action}", json=body, headers=headers)
    if sent.status_code != 204:
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


@pytest.mark.parametrize("resource", list(OWNER))
@pytest.mark.parametrize(
    ("authorization", "error"),
    [
        (None, None),
        ("Bearer dzk_not-a-real-key-at-all-000000", "invalid_token"),
        ("Basic eA==", None),
    ],
)
async def test_without_a_valid_key_every_resource_is_401_with_a_bearer_challenge(
    shared_api: httpx.AsyncClient, resource: str, authorization: str | None, error: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    for sent in (
        await shared_api.get(f"/v1/{resource}", headers=headers),
        await shared_api.post(f"/v1/{resource}", json=BODY[resource](), headers=headers),
    ):
        assert sent.status_code == 401
        assert sent.headers["content-type"] == "application/problem+json"
        challenge = sent.headers["www-authenticate"]
        assert challenge.startswith("Bearer")
        assert (f'error="{error}"' in challenge) if error else ("error=" not in challenge)


async def test_profiles_not_shared_with_agencies_stay_hidden_from_other_agencies(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    body = bodies.profile(scope="matching")
    created = await shared_api.post("/v1/profiles", json=body, headers=tenants["agency"].auth)
    path = f"/v1/profiles/{created.json()['id']}"
    assert (await shared_api.get(path, headers=tenants["other_agency"].auth)).status_code == 404
    assert (await shared_api.get(path, headers=tenants["hub"].auth)).status_code == 200


async def test_private_fields_reach_only_their_owner(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    firm, hub = tenants["firm"], tenants["hub"]
    created = await shared_api.post(
        "/v1/staff-releases", json=bodies.release(bodies.person("EMP-7")), headers=firm.auth
    )
    assert created.status_code == 201
    release = created.json()
    assert release["people"][0]["reference"] == "EMP-7"
    profile_path = f"/v1/profiles/{release['people'][0]['profile_id']}"
    own = (await shared_api.get(profile_path, headers=firm.auth)).json()
    assert own["reference"] == "EMP-7"
    assert own["consent"]["scope"] == "matching_and_agencies"
    seen_by_hub = await shared_api.get(profile_path, headers=hub.auth)
    assert seen_by_hub.status_code == 200
    assert "reference" not in seen_by_hub.json()
    assert "consent" not in seen_by_hub.json()
    assert "EMP-7" not in seen_by_hub.text
    release_by_hub = await shared_api.get(f"/v1/staff-releases/{release['id']}", headers=hub.auth)
    assert "people" not in release_by_hub.json()
    assert "EMP-7" not in release_by_hub.text
