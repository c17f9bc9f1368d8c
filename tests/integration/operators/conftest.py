"""An API served over real HTTP (the CLI runs as its own process) and an importing agency."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
import uvicorn

from services.profiles.entrypoints.http.app import create_app
from shared.events import OrganisationKind
from tests.integration.profiles.conftest import Tenant, make_tenant, settings_for
from tests.receiver import free_port
from tests.stack import StackUrls
from tests.waiting import eventually


@pytest.fixture
async def agency(database_url: str) -> Tenant:
    """An agency of its own, so counts of its postings belong to one test."""
    kind = OrganisationKind.AGENCY
    return await make_tenant(database_url, "importer", kind, ["halle-saalekreis"])


@pytest.fixture
async def api_url(stack: StackUrls, database_url: str, topic_prefix: str) -> AsyncIterator[str]:
    """The public API on a free loopback port, served by uvicorn in this process."""
    port = free_port()
    app = create_app(settings_for(stack, database_url, topic_prefix))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return bool(server.started)

    await eventually(started, timeout=30, what="the API to start")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection to look behind the API."""
    conn = await asyncpg.connect(database_url)
    yield conn
    await conn.close()
