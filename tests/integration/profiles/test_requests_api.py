"""Validation, idempotency, pagination and filters of the public API."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant

pytestmark = pytest.mark.integration


async def _count(db: asyncpg.Connection) -> int:
    return int(
        await db.fetchval(
            "SELECT (SELECT count(*) FROM profiles.vacancies)"
            " + (SELECT count(*) FROM profiles.profiles) + (SELECT count(*) FROM profiles.outbox)"
        )
    )


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/vacancies", bodies.vacancy(postcode="1234"), "postcode"),
        ("/v1/vacancies", bodies.vacancy(radius_km=-1), "radius_km"),
        (
            "/v1/vacancies",
            bodies.vacancy(competences=[{"competence_id": bodies.GMP, "min_level": 6}]),
            "competences[0].min_level",
        ),
        ("/v1/vacancies", bodies.vacancy(colour="blue"), "colour"),
        ("/v1/profiles", bodies.profile(competences=[]), "competences"),
        ("/v1/profiles", bodies.profile(name="Erika Mustermann"), "name"),
        ("/v1/profiles", bodies.profile(birth_date="1970-01-01"), "birth_date"),
        ("/v1/profiles", {k: v for k, v in bodies.profile().items() if k != "consent"}, "consent"),
        ("/v1/staff-releases", bodies.release(bodies.person(email="a@b.de")), "people[0].email"),
    ],
)
async def test_invalid_body_is_422_naming_the_field_and_stores_nothing(
    shared_api: httpx.AsyncClient,
    tenants: dict[str, Tenant],
    db: asyncpg.Connection,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    poster = tenants["firm" if "staff" in path or "vacan" in path else "agency"]
    before = await _count(db)
    response = await shared_api.post(path, json=body, headers=poster.auth)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert await _count(db) == before


@pytest.mark.parametrize(
    ("path", "body", "field", "value"),
    [
        ("/v1/vacancies", bodies.vacancy(postcode="00000"), "postcode", "00000"),
        ("/v1/vacancies", bodies.vacancy(occupation="99999"), "occupation", "99999"),
        (
            "/v1/vacancies",
            bodies.vacancy(competences=[{"competence_id": "esco:gmp", "min_level": 3}]),
            "competences[0].competence_id",
            "esco:gmp",
        ),
        ("/v1/profiles", bodies.profile(occupations=["x"]), "occupations[0]", "x"),
        (
            "/v1/staff-releases",
            bodies.release(bodies.person(postcode="00000")),
            "people[0].postcode",
            "00000",
        ),
    ],
)
async def test_unknown_reference_is_422_naming_field_and_value(
    shared_api: httpx.AsyncClient,
    tenants: dict[str, Tenant],
    db: asyncpg.Connection,
    path: str,
    body: dict[str, Any],
    field: str,
    value: str,
) -> None:
    poster = tenants["agency" if path == "/v1/profiles" else "firm"]
    before = await _count(db)
    response = await shared_api.post(path, json=body, headers=poster.auth)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["value"]) == (field, value)
    assert await _count(db) == before


@pytest.mark.parametrize(
    ("field", "text"),
    [("reason", "Fragen an hr@firma.de"), ("reason", "Rückruf: +49 345 1234567")],
)
async def test_contact_data_in_free_text_is_refused(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant], field: str, text: str
) -> None:
    body = bodies.release(**{field: text})
    response = await shared_api.post("/v1/staff-releases", json=body, headers=tenants["firm"].auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    person = bodies.release(bodies.person("0171 2345678"))
    response = await shared_api.post(
        "/v1/staff-releases", json=person, headers=tenants["firm"].auth
    )
    assert response.json()["errors"][0]["field"] == "people[0].reference"


async def test_malformed_json_is_400_problem(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    headers = {**tenants["firm"].auth, "content-type": "application/json"}
    response = await shared_api.post("/v1/vacancies", content=b"{not json", headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


async def test_idempotency_key_replays_the_first_answer_and_refuses_another_body(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant], db: asyncpg.Connection
) -> None:
    headers = {**tenants["firm"].auth, "Idempotency-Key": "order-4711"}
    first = await shared_api.post("/v1/vacancies", json=bodies.vacancy(), headers=headers)
    before = await _count(db)
    again = await shared_api.post("/v1/vacancies", json=bodies.vacancy(), headers=headers)
    assert (again.status_code, again.json(), again.headers["location"]) == (
        201, first.json(), first.headers["location"],
    )  # fmt: skip
    assert await _count(db) == before
    other = await shared_api.post(
        "/v1/vacancies", json=bodies.vacancy(radius_km=5), headers=headers
    )
    assert other.status_code == 409
    assert other.headers["content-type"] == "application/problem+json"
    # Keys are per organisation: another firm may use the same key for its own request.
    elsewhere = {**tenants["other_firm"].auth, "Idempotency-Key": "order-4711"}
    assert (
        await shared_api.post("/v1/vacancies", json=bodies.vacancy(), headers=elsewhere)
    ).json()["id"] != first.json()["id"]


async def test_cursor_pagination_walks_every_item_once(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    auth = tenants["other_agency"].auth
    made = [
        (await shared_api.post("/v1/vacancies", json=bodies.vacancy(), headers=auth)).json()["id"]
        for _ in range(5)
    ]
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = (await shared_api.get("/v1/vacancies", params=params, headers=auth)).json()
        assert len(page["items"]) <= 2
        seen += [
            i["id"]
            for i in page["items"]
            if i["organisation_id"] == str(tenants["other_agency"].org_id)
        ]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert [i for i in seen if i in made] == made
    bad = await shared_api.get("/v1/vacancies", params={"cursor": "nonsense"}, headers=auth)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "cursor")
    too_many = await shared_api.get("/v1/vacancies", params={"limit": 101}, headers=auth)
    assert too_many.status_code == 422


async def test_filters_by_region_occupation_and_status(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    auth = tenants["admin"].auth
    firm = tenants["firm"].auth
    leuna = (await shared_api.post("/v1/vacancies", json=bodies.vacancy(), headers=firm)).json()
    kiel = bodies.vacancy(postcode=bodies.KIEL, kldb_code="41312")
    kiel_id = (await shared_api.post("/v1/vacancies", json=kiel, headers=firm)).json()["id"]

    async def ids(**params: Any) -> set[str]:
        response = await shared_api.get(
            "/v1/vacancies", params={"limit": 100, **params}, headers=auth
        )
        assert response.status_code == 200
        found = {i["id"] for i in response.json()["items"]}
        while cursor := response.json()["next_cursor"]:
            response = await shared_api.get(
                "/v1/vacancies", params={"limit": 100, **params, "cursor": cursor}, headers=auth
            )
            found |= {i["id"] for i in response.json()["items"]}
        return found

    in_region = await ids(region=bodies.REGION)
    assert leuna["id"] in in_region
    assert kiel_id not in in_region
    assert kiel_id in await ids(region="schleswig-holstein")
    assert kiel_id in await ids(occupation="41312")
    assert leuna["id"] not in await ids(occupation="41312")
    assert leuna["id"] not in await ids(status="filled")
    unknown = await shared_api.get("/v1/vacancies", params={"region": "atlantis"}, headers=auth)
    assert (unknown.status_code, unknown.json()["errors"][0]["value"]) == (422, "atlantis")
