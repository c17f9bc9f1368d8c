"""Fixtures that give integration and end-to-end tests the real servers, isolated per run."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from shared.kafka_admin import delete_topics, ensure_topics
from tests.stack import StackUrls, stack_urls


@pytest.fixture(scope="session")
def stack() -> Iterator[StackUrls]:
    """The real Kafka, PostgreSQL and Redis."""
    with stack_urls() as urls:
        yield urls


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
async def database_url(stack: StackUrls) -> AsyncIterator[str]:
    """A database of its own for this test session, dropped afterwards."""
    name = f"dz_test_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(stack.database_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield _with_database(stack.database_url, name)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def topic_prefix(stack: StackUrls) -> AsyncIterator[str]:
    """A unique topic namespace for one test, with every hub topic created in it."""
    prefix = f"t{uuid.uuid4().hex[:10]}."
    await ensure_topics(stack.kafka, prefix)
    yield prefix
    await delete_topics(stack.kafka, prefix)
