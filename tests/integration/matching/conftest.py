"""Fixtures of the matcher's integration tests: its settings and a publisher of inputs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from faststream.kafka import KafkaBroker

from services.matching.config import MatchingSettings
from shared.kafka import create_broker
from tests.integration.matching.helpers import settings_for
from tests.stack import StackUrls


@pytest.fixture
def settings(stack: StackUrls, database_url: str, topic_prefix: str) -> MatchingSettings:
    """The matcher on this session's database and this test's topics."""
    return settings_for(stack.kafka, stack.redis_url, database_url, topic_prefix)


@pytest.fixture
async def publisher(settings: MatchingSettings) -> AsyncIterator[KafkaBroker]:
    """A connected broker for publishing the matcher's inputs."""
    broker = create_broker(settings.kafka)
    await broker.connect()
    yield broker
    await broker.stop()
