"""Fixtures for the public API: tenants of every kind with keys, and the app itself."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from services.profiles.adapters.reference import Reference
from services.profiles.config import ProfilesSettings
from services.profiles.entrypoints.cli import run_admin
from services.profiles.entrypoints.http.app import create_app
from services.profiles.service_layer import access
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.events import OrganisationKind as Kind
from shared.kafka_admin import delete_topics, ensure_topics
from tests.apps import running
from tests.integration.profiles.bodies import OTHER_REGION, REGION
from tests.stack import StackUrls

# name: (kind, regions)
TENANTS: dict[str, tuple[Kind, list[str]]] = {
    "firm": (Kind.FIRM, [REGION]),
    "other_firm": (Kind.FIRM, [REGION]),
    "hub": (Kind.HUB, [REGION]),
    "other_hub": (Kind.HUB, [OTHER_REGION]),
    "agency": (Kind.AGENCY, [REGION]),
    "other_agency": (Kind.AGENCY, [REGION]),
    "far_agency": (Kind.AGENCY, [OTHER_REGION]),
    "association": (Kind.ASSOCIATION, []),
    "training_provider": (Kind.TRAINING_PROVIDER, []),
    "admin": (Kind.ADMIN, []),
}


@dataclass(frozen=True)
class Tenant:
    """An organisation of the test world and its API key."""

    name: str
    kind: Kind
    org_id: uuid.UUID
    key: str

    @property
    def auth(self) -> dict[str, str]:
        """The Authorization header."""
        return {"Authorization": f"Bearer {self.key}"}


def settings_for(
    stack: StackUrls, database_url: str, topic_prefix: str, **overrides: Any
) -> ProfilesSettings:
    """Settings of an API instance on the test database and topics."""
    values = {
        "kafka_bootstrap_servers": stack.kafka,
        "kafka_topic_prefix": topic_prefix,
        "database_url": database_url,
        "redis_url": stack.redis_url,
        "outbox_poll_interval_s": 0.2,
        **overrides,
    }
    return ProfilesSettings.model_validate(values)


async def make_tenant(database_url: str, name: str, kind: Kind, regions: list[str]) -> Tenant:
    """Create an organisation with a key through the admin service layer."""
    unique = f"{name}-{uuid.uuid4().hex[:8]}"

    async def action(uow: ProfilesUnitOfWork, ref: Reference, pepper: bytes) -> Tenant:
        org = await access.create_organisation(uow, ref, kind=kind, name=unique, region_ids=regions)
        _, key = await access.issue_key(uow, pepper, org.id)
        return Tenant(name, kind, org.id, key)

    return await run_admin(ProfilesSettings.model_validate({"database_url": database_url}), action)


@pytest.fixture(scope="session")
async def tenants(database_url: str) -> dict[str, Tenant]:
    """One organisation per role of the test world (shared by the session)."""
    return {
        name: await make_tenant(database_url, name, kind, regions)
        for name, (kind, regions) in TENANTS.items()
    }


@pytest.fixture(scope="module")
async def module_topics(stack: StackUrls) -> AsyncIterator[str]:
    """A topic namespace shared by one test module (for tests that do not read Kafka)."""
    prefix = f"m{uuid.uuid4().hex[:10]}."
    await ensure_topics(stack.kafka, prefix)
    yield prefix
    await delete_topics(stack.kafka, prefix)


@pytest.fixture(scope="module")
async def shared_api(
    stack: StackUrls, database_url: str, module_topics: str
) -> AsyncIterator[httpx.AsyncClient]:
    """One API instance for a whole module."""
    async with running(create_app(settings_for(stack, database_url, module_topics))) as client:
        yield client


@pytest.fixture
def settings(stack: StackUrls, database_url: str, topic_prefix: str) -> ProfilesSettings:
    """Settings on this test's own topics."""
    return settings_for(stack, database_url, topic_prefix)


@pytest.fixture
async def api(settings: ProfilesSettings) -> AsyncIterator[httpx.AsyncClient]:
    """An API instance on this test's own topics (for tests that read Kafka)."""
    async with running(create_app(settings)) as client:
        yield client


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection to look behind the API."""
    conn = await asyncpg.connect(database_url)
    yield conn
    await conn.close()


Poster = Callable[..., Any]
