"""Fixtures for the notification service against the real Kafka and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import asyncpg
import pytest
from faststream.kafka import KafkaBroker
from pydantic import SecretStr

from services.notifications.config import NotificationsSettings
from services.notifications.entrypoints.app import create_app
from shared.kafka import create_broker
from shared.settings import KafkaSettings
from tests.integration.notifications.helpers import SECRET
from tests.stack import StackUrls
from tests.waiting import eventually

Running = Callable[..., AbstractAsyncContextManager[Any]]


@pytest.fixture
def settings_for(
    stack: StackUrls, database_url: str, topic_prefix: str
) -> Callable[..., NotificationsSettings]:
    """Settings of a service instance isolated to this test's topics."""

    def build(**overrides: Any) -> NotificationsSettings:
        values: dict[str, Any] = {
            "kafka_bootstrap_servers": stack.kafka,
            "kafka_topic_prefix": topic_prefix,
            "database_url": database_url,
            "redis_url": stack.redis_url,
            "webhook_secret": SecretStr(SECRET),
            "webhook_timeout_s": 2.0,
            "worker_poll_interval_s": 0.2,
            **overrides,
        }
        return NotificationsSettings.model_validate(values)

    return build


_TABLES = ("deliveries", "subscriptions", "processed_events", "outbox", "erased_profiles")


@pytest.fixture(autouse=True)
async def clean_state(database_url: str) -> None:
    """Start each test with an empty ledger: the database lives for the whole session."""
    conn = await asyncpg.connect(database_url)
    try:
        exists = await conn.fetchval("SELECT to_regclass('notifications.outbox') IS NOT NULL")
        if exists:
            await conn.execute(f"TRUNCATE {', '.join(f'notifications.{t}' for t in _TABLES)}")
    finally:
        await conn.close()


async def outbox_drained(database_url: str) -> None:
    """Wait until every outcome was published (before the test's topics are deleted)."""
    conn = await asyncpg.connect(database_url)
    try:

        async def drained() -> bool:
            unsent = await conn.fetchval(
                "SELECT count(*) FROM notifications.outbox WHERE sent_at IS NULL"
            )
            return bool(unsent == 0)

        await eventually(drained, timeout=30, what="the outbox to drain")
    finally:
        await conn.close()


@pytest.fixture
def running(database_url: str) -> Running:
    """Run the service's app (lifespan included) for the duration of a block."""

    @asynccontextmanager
    async def run(settings: NotificationsSettings) -> AsyncIterator[Any]:
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            yield app
            await outbox_drained(settings.database_url)

    return run


@pytest.fixture
async def publisher(stack: StackUrls, topic_prefix: str) -> AsyncIterator[KafkaBroker]:
    """A connected broker for publishing test records into this test's topics."""
    broker = create_broker(
        KafkaSettings(bootstrap_servers=stack.kafka, topic_prefix=topic_prefix, client_id="test")
    )
    await broker.connect()
    try:
        yield broker
    finally:
        await broker.stop()


@pytest.fixture
async def ledger(database_url: str) -> AsyncIterator[asyncpg.Connection[asyncpg.Record]]:
    """A connection that reads the service's delivery ledger."""
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "notifications"})
    try:
        yield conn
    finally:
        await conn.close()
