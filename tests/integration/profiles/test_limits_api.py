"""Body limit, rate limit (and its failing open), keys issued, rotated and revoked."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from services.profiles.adapters.reference import Reference
from services.profiles.config import ProfilesSettings
from services.profiles.entrypoints.cli import run_admin
from services.profiles.entrypoints.http.app import create_app
from services.profiles.service_layer import access
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.events import OrganisationKind
from tests.apps import running
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant, make_tenant, settings_for
from tests.stack import StackUrls

pytestmark = pytest.mark.integration


@pytest.fixture
async def limited_api(
    stack: StackUrls, database_url: str, module_topics: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = settings_for(
        stack,
        database_url,
        module_topics,
        rate_limit_requests=3,
        rate_limit_window_s=3600,
        max_body_bytes=4096,
    )
    async with running(create_app(settings)) as client:
        yield client


async def test_a_body_above_the_limit_is_413_before_parsing(
    limited_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    big = bodies.vacancy(title="x" * 5000)
    response = await limited_api.post("/v1/vacancies", json=big, headers=tenants["firm"].auth)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b" " * 1000  # no Content-Length: counted while it streams

    headers = {**tenants["firm"].auth, "content-type": "application/json"}
    streamed = await limited_api.post("/v1/vacancies", content=chunks(), headers=headers)
    assert streamed.status_code == 413, streamed.text


async def test_the_rate_limit_answers_429_with_retry_after_per_key(
    limited_api: httpx.AsyncClient, database_url: str
) -> None:
    one = await make_tenant(database_url, "busy", OrganisationKind.FIRM, [])
    two = await make_tenant(database_url, "calm", OrganisationKind.FIRM, [])
    statuses = [
        (await limited_api.get("/v1/vacancies", headers=one.auth)).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    refused = await limited_api.get("/v1/vacancies", headers=one.auth)
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    assert (await limited_api.get("/v1/vacancies", headers=two.auth)).status_code == 200


async def test_the_rate_limit_fails_open_when_redis_is_down(
    stack: StackUrls, database_url: str, module_topics: str, tenants: dict[str, Tenant]
) -> None:
    settings = settings_for(
        stack, database_url, module_topics, rate_limit_requests=1,
        redis_url="redis://127.0.0.1:1/0",
    )  # fmt: skip
    async with running(create_app(settings)) as api:
        for _ in range(3):
            response = await api.get("/v1/vacancies", headers=tenants["firm"].auth)
            assert response.status_code == 200
        assert (await api.get("/readyz")).json()["checks"]["redis"] is False


async def test_rotated_and_revoked_keys_stop_working_at_once(
    shared_api: httpx.AsyncClient, database_url: str
) -> None:
    settings = ProfilesSettings.model_validate({"database_url": database_url})

    async def create(
        uow: ProfilesUnitOfWork, ref: Reference, pepper: bytes
    ) -> tuple[uuid.UUID, str]:
        org = await access.create_organisation(
            uow, ref, kind=OrganisationKind.AGENCY, name=f"rotating-{uuid.uuid4()}"
        )
        return await access.issue_key(uow, pepper, org.id)

    key_id, old = await run_admin(settings, create)

    async def rotate(uow: ProfilesUnitOfWork, _: Reference, pepper: bytes) -> tuple[uuid.UUID, str]:
        return await access.rotate_key(uow, pepper, key_id)

    new_id, new = await run_admin(settings, rotate)
    assert new != old
    old_answer = await shared_api.get("/v1/vacancies", headers={"Authorization": f"Bearer {old}"})
    assert old_answer.status_code == 401
    auth = {"Authorization": f"Bearer {new}"}
    assert (await shared_api.get("/v1/vacancies", headers=auth)).status_code == 200

    async def revoke(uow: ProfilesUnitOfWork, _: Reference, __: bytes) -> uuid.UUID:
        return await access.revoke_key(uow, new_id)

    await run_admin(settings, revoke)
    assert (await shared_api.get("/v1/vacancies", headers=auth)).status_code == 401


async def test_keys_are_stored_only_as_digests(database_url: str) -> None:
    tenant = await make_tenant(database_url, "digest", OrganisationKind.FIRM, [])
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch("SELECT digest, prefix FROM profiles.api_keys")
    finally:
        await conn.close()
    stored = b"".join(bytes(r["digest"]) + r["prefix"].encode() for r in rows)
    assert tenant.key.encode() not in stored
    assert all(len(r["digest"]) == 32 for r in rows)


async def test_openapi_documents_every_operation_with_bearer_auth(
    shared_api: httpx.AsyncClient,
) -> None:
    spec = (await shared_api.get("/openapi.json")).json()
    assert {"/v1/vacancies", "/v1/profiles", "/v1/staff-releases"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for path, operations in spec["paths"].items():
        if path.startswith("/v1"):
            for operation in operations.values():
                assert "401" in operation["responses"], (path, operation["summary"])
    assert (await shared_api.get("/docs")).status_code == 200
