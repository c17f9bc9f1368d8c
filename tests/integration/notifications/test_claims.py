"""The claim takes no more rows for an endpoint than it has room for."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator

import asyncpg
import pytest

from services.notifications.adapters.repository import DeliveryRepository
from services.notifications.bootstrap import MIGRATIONS
from services.notifications.domain.delivery import NewDelivery
from services.notifications.service_layer.unit_of_work import SCHEMA
from shared.db import create_pool
from shared.migrations import migrate

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(own_database: str) -> AsyncIterator[asyncpg.Pool[asyncpg.Record]]:
    created = await create_pool(own_database, schema=SCHEMA, max_size=2)
    async with created.acquire() as conn:
        await migrate(conn, schema=SCHEMA, sources=MIGRATIONS)
    yield created
    await created.close()


def _delivery(host: str) -> NewDelivery:
    return NewDelivery(
        delivery_id=uuid.uuid4(),
        source_event_id=uuid.uuid4(),
        target_url=f"https://{host}/hook",
        event_type="match.found",
        body=b"{}",
    )


async def test_each_endpoint_gets_at_most_its_room(pool: asyncpg.Pool[asyncpg.Record]) -> None:
    async with pool.acquire() as conn:
        repo = DeliveryRepository(conn)
        await repo.add_all([_delivery(host) for host in ("a.test", "b.test", "c.test", "d.test")
                            for _ in range(10)])  # fmt: skip
        found = await conn.fetch("SELECT DISTINCT endpoint FROM deliveries")
        endpoint = {row["endpoint"].split("//")[1][0]: row["endpoint"] for row in found}
        due = await repo.claim_due(
            limit=100,
            lease_s=60,
            # a: three free slots; b: its breaker is cooling down; c: one half-open trial.
            rooms={endpoint["a"]: 3, endpoint["b"]: 0, endpoint["c"]: 1},
            per_endpoint=5,
        )

    claimed = Counter(d.endpoint for d in due)
    assert claimed == {endpoint["a"]: 3, endpoint["c"]: 1, endpoint["d"]: 5}
