"""The delivery ledger in PostgreSQL (schema `notifications`, table `deliveries`)."""

from __future__ import annotations

from uuid import UUID

from services.notifications.domain.delivery import DueDelivery, NewDelivery
from shared.db import Connection

NOTIFY_CHANNEL = "notifications_deliveries"

_INSERT = """
INSERT INTO deliveries (delivery_id, source_event_id, target_url, event_type, body)
VALUES ($1, $2, $3, $4, $5::text::json)
ON CONFLICT (source_event_id, target_url) DO NOTHING
"""
# Claiming pushes next_attempt_at forward by a lease instead of holding row locks
# during the HTTP call: a worker that dies mid-attempt releases its rows when the
# lease runs out, and no transaction stays open while a receiver is slow.
_CLAIM_DUE = """
WITH due AS (
    SELECT delivery_id FROM deliveries
    WHERE status = 'pending' AND next_attempt_at <= clock_timestamp()
    ORDER BY next_attempt_at
    LIMIT $1
    FOR UPDATE SKIP LOCKED
)
UPDATE deliveries AS d
SET next_attempt_at = clock_timestamp() + make_interval(secs => $2)
FROM due
WHERE d.delivery_id = due.delivery_id
RETURNING d.delivery_id, d.target_url, d.event_type, d.body::text AS body, d.attempts
"""
_MARK_DELIVERED = """
UPDATE deliveries
SET status = 'delivered', attempts = $2, last_error = NULL,
    delivered_at = clock_timestamp(), updated_at = clock_timestamp()
WHERE delivery_id = $1 AND status = 'pending'
"""
_SCHEDULE_RETRY = """
UPDATE deliveries
SET attempts = $2, last_error = $3, updated_at = clock_timestamp(),
    next_attempt_at = clock_timestamp() + make_interval(secs => $4)
WHERE delivery_id = $1 AND status = 'pending'
"""
_PARK = """
UPDATE deliveries
SET status = 'parked', attempts = $2, last_error = $3, updated_at = clock_timestamp()
WHERE delivery_id = $1 AND status = 'pending'
"""


class DeliveryRepository:
    """Reads and writes deliveries through the caller's connection (and transaction)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, delivery: NewDelivery) -> bool:
        """Record a delivery unless one exists for its event and target; True when added."""
        status = await self._conn.execute(
            _INSERT,
            delivery.delivery_id,
            delivery.source_event_id,
            delivery.target_url,
            delivery.event_type,
            delivery.body.decode(),
        )
        return bool(status == "INSERT 0 1")

    async def wake_worker(self) -> None:
        """Tell delivery workers (on commit of the current transaction) that work arrived."""
        await self._conn.execute("SELECT pg_notify($1, '')", NOTIFY_CHANNEL)

    async def claim_due(self, *, limit: int, lease_s: float) -> list[DueDelivery]:
        """Due pending deliveries, hidden from other workers for `lease_s` seconds."""
        rows = await self._conn.fetch(_CLAIM_DUE, limit, lease_s)
        return [
            DueDelivery(
                delivery_id=row["delivery_id"],
                target_url=row["target_url"],
                event_type=row["event_type"],
                body=row["body"].encode(),
                attempts=row["attempts"],
            )
            for row in rows
        ]

    async def mark_delivered(self, delivery_id: UUID, *, attempts: int) -> None:
        """The receiver accepted the delivery."""
        await self._conn.execute(_MARK_DELIVERED, delivery_id, attempts)

    async def schedule_retry(
        self, delivery_id: UUID, *, attempts: int, error: str, delay_s: float
    ) -> None:
        """Record a failed attempt and when to try again."""
        await self._conn.execute(_SCHEDULE_RETRY, delivery_id, attempts, error, delay_s)

    async def park(self, delivery_id: UUID, *, attempts: int, error: str) -> None:
        """Stop trying; the row stays as the visible record of the failure."""
        await self._conn.execute(_PARK, delivery_id, attempts, error)
