"""SQL of the deliveries read model: the latest outcome of each delivery."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from services.profiles.domain.queries import ListFilter
from services.profiles.domain.read_models import DeliveryView
from shared.db import Connection
from shared.events import DeliveryOutcomeV1

# The version is the number of attempts: an outcome of fewer attempts is older.
_UPSERT = """
INSERT INTO deliveries AS d (delivery_id, subscription_id, version, status, body)
VALUES ($1, $2, $3, $4, $5::text::jsonb)
ON CONFLICT (delivery_id) DO UPDATE SET
    version = EXCLUDED.version, status = EXCLUDED.status, body = EXCLUDED.body,
    subscription_id = COALESCE(EXCLUDED.subscription_id, d.subscription_id), updated_at = now()
WHERE d.version < EXCLUDED.version
RETURNING d.version
"""
_LIST = """
SELECT seq, body FROM deliveries
WHERE subscription_id = $1 AND seq > $2 AND ($3::text IS NULL OR status = $3)
ORDER BY seq LIMIT $4
"""


def _arguments(outcome: DeliveryOutcomeV1) -> tuple[object, ...]:
    return (
        outcome.delivery_id, outcome.subscription_id, outcome.version, outcome.status,
        outcome.model_dump_json(),
    )  # fmt: skip


class DeliveryRepository:
    """The deliveries read model in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def apply(self, outcome: DeliveryOutcomeV1) -> bool:
        """Record a delivery's latest outcome; False when it is not newer than the stored one."""
        return await self._conn.fetchval(_UPSERT, *_arguments(outcome)) is not None

    async def apply_all(self, outcomes: Sequence[DeliveryOutcomeV1]) -> None:
        """`apply` each outcome in order, in one round trip (the statement is pipelined)."""
        await self._conn.executemany(_UPSERT, [_arguments(outcome) for outcome in outcomes])

    async def of_subscription(
        self, subscription_id: UUID, filters: ListFilter
    ) -> list[DeliveryView]:
        """One page of a subscription's deliveries, in the order they were first seen."""
        rows = await self._conn.fetch(
            _LIST, subscription_id, filters.after, filters.status, filters.limit
        )
        return [DeliveryView(DeliveryOutcomeV1.model_validate(r["body"]), r["seq"]) for r in rows]
