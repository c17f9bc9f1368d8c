"""The public API against real PostgreSQL and Kafka: stored, published, or refused whole."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from deploy.hub.demo import PROFILE_NEARBY, VACANCY
from services.profiles.config import ProfilesSettings
from services.profiles.entrypoints.http.app import create_app
from shared.topics import PROFILES, VACANCIES
from tests.apps import running
from tests.kafka_tools import read_all
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.integration


@pytest.fixture
def settings(stack: StackUrls, database_url: str, topic_prefix: str) -> ProfilesSettings:
    return ProfilesSettings.model_validate(
        {
            "kafka_bootstrap_servers": stack.kafka,
            "kafka_topic_prefix": topic_prefix,
            "database_url": database_url,
            "redis_url": stack.redis_url,
        }
    )


@pytest.fixture
async def api(settings: ProfilesSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running(create_app(settings)) as client:
        yield client


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database_url)
    yield conn
    await conn.close()


async def counts(db: asyncpg.Connection) -> tuple[int, int, int]:
    row = await db.fetchrow(
        "SELECT (SELECT count(*) FROM profiles.vacancies),"
        " (SELECT count(*) FROM profiles.profiles), (SELECT count(*) FROM profiles.outbox)"
    )
    assert row is not None
    return row[0], row[1], row[2]


async def test_vacancy_is_stored_and_published_as_a_cloudevent(
    api: httpx.AsyncClient, settings: ProfilesSettings, db: asyncpg.Connection
) -> None:
    response = await api.post("/v1/vacancies", json=VACANCY)
    assert response.status_code == 201
    vacancy_id = response.json()["id"]
    assert response.headers["location"] == f"/v1/vacancies/{vacancy_id}"
    stored = await db.fetchval(
        "SELECT version FROM profiles.vacancies WHERE id = $1::uuid", vacancy_id
    )
    assert stored == 1

    async def published() -> list[Any]:
        records = await read_all(settings.kafka_bootstrap_servers, settings.kafka.topic(VACANCIES))
        return [r for r in records if r.key == vacancy_id.encode()]

    (record,) = await eventually(published, what="the vacancy event on Kafka")
    event = json.loads(record.value)
    assert dict(record.headers)["content-type"] == b"application/cloudevents+json"
    assert (event["specversion"], event["type"], event["subject"]) == (
        "1.0",
        "de.drehscheibe.vacancy.opened.v1",
        vacancy_id,
    )
    assert event["data"]["postcode"] == VACANCY["postcode"]
    assert event["data"]["version"] == 1

    async def marked_sent() -> bool:
        return bool(
            await db.fetchval("SELECT count(*) = 0 FROM profiles.outbox WHERE sent_at IS NULL")
        )

    await eventually(marked_sent, what="the outbox row marked sent")


async def test_profile_is_stored_and_published(
    api: httpx.AsyncClient, settings: ProfilesSettings
) -> None:
    response = await api.post("/v1/profiles", json=PROFILE_NEARBY)
    assert response.status_code == 201
    profile_id = response.json()["id"]

    async def published() -> list[Any]:
        records = await read_all(settings.kafka_bootstrap_servers, settings.kafka.topic(PROFILES))
        return [r for r in records if r.key == profile_id.encode()]

    (record,) = await eventually(published, what="the profile event on Kafka")
    assert json.loads(record.value)["type"] == "de.drehscheibe.profile.published.v1"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/vacancies", {**VACANCY, "postcode": "1234"}, "postcode"),
        ("/v1/vacancies", {**VACANCY, "radius_km": -1}, "radius_km"),
        (
            "/v1/vacancies",
            {**VACANCY, "competences": [{"competence_id": "x", "min_level": 6}]},
            "competences[0].min_level",
        ),
        ("/v1/vacancies", {**VACANCY, "colour": "blue"}, "colour"),
        ("/v1/vacancies", {k: v for k, v in VACANCY.items() if k != "occupation"}, "occupation"),
        ("/v1/profiles", {**PROFILE_NEARBY, "competences": []}, "competences"),
        ("/v1/profiles", {**PROFILE_NEARBY, "name": "Erika Mustermann"}, "name"),
    ],
)
async def test_invalid_body_is_422_naming_the_field_and_stores_nothing(
    api: httpx.AsyncClient, db: asyncpg.Connection, path: str, body: dict[str, Any], field: str
) -> None:
    before = await counts(db)
    response = await api.post(path, json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert field in [e["field"] for e in problem["errors"]]
    assert await counts(db) == before


@pytest.mark.parametrize(
    ("path", "body"), [("/v1/vacancies", VACANCY), ("/v1/profiles", PROFILE_NEARBY)]
)
async def test_unknown_postcode_is_422_and_stores_nothing(
    api: httpx.AsyncClient, db: asyncpg.Connection, path: str, body: dict[str, Any]
) -> None:
    before = await counts(db)
    response = await api.post(path, json={**body, "postcode": "00000"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "postcode", "message": "unknown postal code '00000'", "value": "00000"}
    ]
    assert await counts(db) == before


async def test_malformed_json_is_a_problem_not_a_crash(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/v1/vacancies", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_health_and_openapi(api: httpx.AsyncClient) -> None:
    assert (await api.get("/healthz")).json() == {"status": "ok"}
    ready = await api.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"kafka": True, "database": True, "redis": True}
    spec = (await api.get("/openapi.json")).json()
    assert {"/v1/vacancies", "/v1/profiles", "/healthz", "/readyz"} <= set(spec["paths"])
    assert (await api.get("/docs")).status_code == 200
