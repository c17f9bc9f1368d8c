"""Fixtures that give integration and end-to-end tests the real servers, isolated per run."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from shared.kafka_admin import delete_topics, ensure_topics
from tests.databases import fresh_database
from tests.stack import StackUrls, stack_urls


@pytest.fixture(scope="session")
def stack() -> Iterator[StackUrls]:
    """The real Kafka, PostgreSQL and Redis."""
    with stack_urls() as urls:
        yield urls


@pytest.fixture(scope="session")
async def database_url(stack: StackUrls) -> AsyncIterator[str]:
    """A database of its own for this test session, dropped afterwards."""
    async with fresh_database(stack.database_url) as url:
        yield url


@pytest.fixture
async def own_database(stack: StackUrls) -> AsyncIterator[str]:
    """A database for one test alone: no other test's state takes part, or stays behind
    (unsent outbox rows of deleted topics, postings another test would match)."""
    async with fresh_database(stack.database_url, "own") as url:
        yield url


@pytest.fixture
async def topic_prefix(stack: StackUrls) -> AsyncIterator[str]:
    """A unique topic namespace for one test, with every hub topic created in it."""
    prefix = f"t{uuid.uuid4().hex[:10]}."
    await ensure_topics(stack.kafka, prefix)
    yield prefix
    await delete_topics(stack.kafka, prefix)
