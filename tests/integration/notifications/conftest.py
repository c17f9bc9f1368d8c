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


@pytest.fixture
def running() -> Running:
    """Run the service's app (lifespan included) for the duration of a block."""

    @asynccontextmanager
    async def run(settings: NotificationsSettings) -> AsyncIterator[Any]:
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            yield app

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
