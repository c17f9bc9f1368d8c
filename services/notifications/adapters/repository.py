"""The delivery ledger in PostgreSQL (schema `notifications`, table `deliveries`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

import asyncpg

from services.notifications.adapters import ledger_sql as sql
from services.notifications.domain.delivery import DueDelivery, NewDelivery
from services.notifications.domain.urlpolicy import endpoint_of
from shared.db import Connection

NOTIFY_CHANNEL = "notifications_deliveries"


def _due(row: asyncpg.Record) -> DueDelivery:
    return DueDelivery(
        delivery_id=row["delivery_id"],
        target_url=row["target_url"],
        event_type=row["event_type"],
        body=row["body"].encode(),
        attempts=row["attempts"],
        subscription_id=row["subscription_id"],
        source_event_id=row["source_event_id"],
        channel=row["channel"],
        endpoint=row["endpoint"],
        secret=row["secret"],
        attempts_before_redrive=row["attempts_before_redrive"],
        age_s=row["age_s"],
        expired=row["expired"],
        request_id=row["request_id"],
    )


class DeliveryRepository:
    """Reads and writes deliveries through the caller's connection (and transaction)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, delivery: NewDelivery) -> bool:
        """Record a delivery unless one exists for its event and target; True when added."""
        status = await self._conn.execute(sql.INSERT, *_values(delivery))
        return bool(status == "INSERT 0 1")

    async def add_all(self, deliveries: Sequence[NewDelivery]) -> None:
        """Record several deliveries; those already in the ledger are left alone."""
        if deliveries:
            await self._conn.executemany(sql.INSERT, [_values(d) for d in deliveries])

    async def mark_processed(self, event_id: UUID) -> bool:
        """Remember a routed input event; False when it was routed before (a replay)."""
        status = await self._conn.execute(sql.MARK_PROCESSED, event_id)
        return bool(status == "INSERT 0 1")

    async def mark_all_processed(self, event_ids: Sequence[UUID]) -> set[UUID]:
        """Remember routed input events; the ids among them not routed before."""
        rows = await self._conn.fetch(sql.MARK_ALL_PROCESSED, list(event_ids))
        return {row["event_id"] for row in rows}

    async def wake_worker(self) -> None:
        """Tell delivery workers (on commit of the current transaction) that work arrived."""
        await self._conn.execute("SELECT pg_notify($1, '')", NOTIFY_CHANNEL)

    async def claim_due(
        self,
        *,
        limit: int,
        lease_s: float,
        rooms: Mapping[str, int] | None = None,
        per_endpoint: int | None = None,
    ) -> list[DueDelivery]:
        """Due deliveries, hidden from other workers for `lease_s` seconds.

        `rooms` caps the rows claimed for the endpoints it names (0 skips one);
        any other endpoint gets at most `per_endpoint`.
        """
        rooms = rooms or {}
        skip = [key for key, room in rooms.items() if room <= 0]
        capped = {key: room for key, room in rooms.items() if room > 0}
        rows = await self._conn.fetch(
            sql.CLAIM_DUE, limit, lease_s, skip, per_endpoint or limit,
            list(capped), list(capped.values()),
        )  # fmt: skip
        return [_due(row) for row in rows]

    async def digests_due(self, *, limit: int) -> list[UUID]:
        """Subscriptions whose digest window has closed with bulletins waiting."""
        return [row["subscription_id"] for row in await self._conn.fetch(sql.DIGESTS_DUE, limit)]

    async def claim_digest(self, subscription_id: UUID, *, lease_s: float) -> list[DueDelivery]:
        """The waiting digest deliveries of one subscription, leased together."""
        rows = await self._conn.fetch(sql.CLAIM_DIGEST, subscription_id, lease_s)
        return [_due(row) for row in rows]

    async def mark_delivered(self, delivery_id: UUID, *, attempts: int) -> asyncpg.Record | None:
        """The receiver accepted the delivery; the changed row, or None if it was not pending."""
        return await self._conn.fetchrow(sql.MARK_DELIVERED, delivery_id, attempts)

    async def schedule_retry(
        self, delivery_id: UUID, *, attempts: int, error: str, delay_s: float
    ) -> asyncpg.Record | None:
        """Record a failed attempt and when to try again."""
        return await self._conn.fetchrow(sql.SCHEDULE_RETRY, delivery_id, attempts, error, delay_s)

    async def park(self, delivery_id: UUID, *, attempts: int, error: str) -> asyncpg.Record | None:
        """Stop trying; the row stays as the visible record of the failure."""
        return await self._conn.fetchrow(sql.PARK, delivery_id, attempts, error)

    async def plan_for_current_size(self) -> None:
        """Plan this transaction's statements for the ledger as it is now, not as it was.

        A cached generic plan is made after a statement's fifth run, often while the ledger
        is still nearly empty: the set-based updates below then keep a scan of the whole
        table (2-7 ms a call, growing) until autovacuum analyses it. Custom plans see the
        table's current size and the arrays' lengths. Without bitmap scans they cannot
        reach the rows through the partial `deliveries_due` index either, whose dead
        entries (one per claim and outcome until vacuum) would all be visited: the
        primary key is left.
        """
        await self._conn.execute(
            "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_bitmapscan = off"
        )

    async def mark_all_delivered(self, done: Sequence[tuple[UUID, int]]) -> list[asyncpg.Record]:
        """Several (delivery id, attempts) accepted; the rows that were still pending."""
        ids, attempts = _columns(done, 2)
        return list(await self._conn.fetch(sql.MARK_ALL_DELIVERED, ids, attempts))

    async def schedule_all_retries(
        self, failed: Sequence[tuple[UUID, int, str, float]]
    ) -> list[asyncpg.Record]:
        """Several (delivery id, attempts, error, delay) failed attempts to try again."""
        ids, attempts, errors, delays = _columns(failed, 4)
        return list(await self._conn.fetch(sql.SCHEDULE_ALL_RETRIES, ids, attempts, errors, delays))

    async def park_all(self, parked: Sequence[tuple[UUID, int, str]]) -> list[asyncpg.Record]:
        """Several (delivery id, attempts, error) deliveries to stop trying."""
        ids, attempts, errors = _columns(parked, 3)
        return list(await self._conn.fetch(sql.PARK_ALL, ids, attempts, errors))

    async def park_all_pending(self, subscription_id: UUID, *, error: str) -> list[asyncpg.Record]:
        """Park every pending delivery of a subscription that ended."""
        return list(await self._conn.fetch(sql.PARK_ALL_PENDING, subscription_id, error))

    async def postpone(self, delivery_id: UUID, *, delay_s: float) -> None:
        """Put a claimed delivery back without an attempt (its receiver's breaker is open)."""
        await self._conn.execute(sql.POSTPONE, delivery_id, delay_s)

    async def redrive(self, delivery_id: UUID) -> asyncpg.Record | None:
        """Make a parked delivery pending again with a fresh budget; None if not possible."""
        return await self._conn.fetchrow(sql.REDRIVE, delivery_id)

    async def status_of(self, delivery_id: UUID) -> asyncpg.Record | None:
        """The delivery's status and its subscription's status, if it exists."""
        return await self._conn.fetchrow(sql.STATUS_OF, delivery_id)

    async def retarget_pending(
        self, subscription_id: UUID, *, target_url: str, endpoint: str, channel: str
    ) -> None:
        """Send a subscription's pending deliveries to its new address."""
        await self._conn.execute(
            sql.RETARGET_PENDING, subscription_id, target_url, endpoint, channel
        )


def _columns(rows: Sequence[tuple[object, ...]], width: int) -> list[list[object]]:
    # unnest() takes one array per column.
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * width


def _values(d: NewDelivery) -> tuple[object, ...]:
    r = d.routing
    endpoint = endpoint_for(r.channel, d.target_url)
    return (
        d.delivery_id,
        d.source_event_id,
        d.target_url,
        d.event_type,
        d.body.decode(),
        r.subscription_id,
        r.channel,
        endpoint,
        r.pair_key,
        r.digest,
        r.not_before,
        r.expires_at,
        d.request_id,
    )


def endpoint_for(channel: str, target_url: str) -> str:
    """The isolation key of a target: the webhook's origin, or the one SMTP relay."""
    return "smtp" if channel == "email" else endpoint_of(target_url)
