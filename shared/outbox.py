"""Transactional outbox: write events with the state change, publish them after commit.

A service appends events inside its unit of work; `OutboxRelay` publishes unsent
rows in id order with the idempotent producer and marks them sent. Exactly one
relay per schema publishes at a time (an advisory lock), which keeps the order per
aggregate even with several replicas. The relay wakes on NOTIFY and polls as a
fallback, so a lost notification only delays, never loses, an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import structlog
from faststream.kafka import KafkaBroker

from shared.backoff import Backoff
from shared.db import Connection
from shared.events import CONTENT_TYPE, CloudEvent
from shared.metrics import metrics
from shared.tracing import KAFKA_HEADER
from shared.waking import woken_or_polled

OUTBOX_MIGRATIONS = Path(__file__).with_name("sql") / "outbox"

_INSERT = "INSERT INTO outbox (topic, key, value, headers) VALUES ($1, $2, $3, $4)"
# A relay publishes only its own topic namespace (KAFKA_TOPIC_PREFIX): deployments or
# test runs that share a database never publish, or wait on, each other's rows.
_UNSENT = (
    "SELECT id, topic, key, value, headers FROM outbox"
    " WHERE sent_at IS NULL AND starts_with(topic, $2) ORDER BY id LIMIT $1"
)
_MARK_SENT = "UPDATE outbox SET sent_at = clock_timestamp() WHERE id = ANY($1::bigint[])"
_BACKLOG = "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND starts_with(topic, $1)"
# While behind, the backlog is counted at most this often: a count scans every unsent row.
BACKLOG_COUNT_INTERVAL_S = 5.0
# Sent rows are kept a while (for inspection and erasure) and then purged, a range of
# ids at a time: ids grow with `created_at`, so the rows old enough to go are the ones
# below the first id young enough to stay.
PURGE_INTERVAL_S = 60.0
PURGE_BATCH = 5000
_PURGE_BOUNDARY = """
SELECT COALESCE(
    (SELECT id FROM outbox WHERE created_at >= clock_timestamp() - $1::interval
     ORDER BY id LIMIT 1),
    (SELECT max(id) + 1 FROM outbox))
"""
_FIRST_ID = "SELECT min(id) FROM outbox"
_PURGE_RANGE = "DELETE FROM outbox WHERE id >= $1 AND id < $2 AND sent_at IS NOT NULL"


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A record to publish: topic (already qualified), key, value and headers."""

    topic: str
    key: str
    value: bytes | None
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of_event(cls, topic: str, key: str, event: CloudEvent) -> OutboxMessage:
        """A CloudEvent in structured mode; its request id also as a header, for tools."""
        headers = {"content-type": CONTENT_TYPE}
        if event.requestid is not None:
            headers[KAFKA_HEADER] = event.requestid
        return cls(topic, key, event.to_bytes(), headers)

    @classmethod
    def tombstone(cls, topic: str, key: str) -> OutboxMessage:
        """A record without value: compaction drops every earlier record of the key."""
        return cls(topic, key, None)


def notify_channel(schema: str) -> str:
    """The LISTEN/NOTIFY channel a schema's relay waits on."""
    return f"{schema}_outbox"


async def append(conn: Connection, messages: list[OutboxMessage], *, schema: str) -> None:
    """Add messages to the outbox within the caller's transaction; wake the relay on commit."""
    if not messages:
        return
    await conn.executemany(_INSERT, [(m.topic, m.key, m.value, m.headers) for m in messages])
    await conn.execute("SELECT pg_notify($1, '')", notify_channel(schema))


async def purge_sent(conn: Connection, keep: timedelta, *, batch: int = PURGE_BATCH) -> int:
    """Delete the rows sent and written more than `keep` ago; how many went.

    A range of at most `batch` ids per statement keeps each transaction short; an
    unsent row stays whatever its age.
    """
    boundary, start = await conn.fetchval(_PURGE_BOUNDARY, keep), await conn.fetchval(_FIRST_ID)
    purged = 0
    while start is not None and boundary is not None and start < boundary:
        end = min(start + batch, boundary)
        status = await conn.execute(_PURGE_RANGE, start, end)
        purged += int(status.rpartition(" ")[2])
        start = end
    return purged


class OutboxRelay:
    """Publishes one schema's outbox to Kafka, in order, until cancelled."""

    def __init__(
        self,
        pool: asyncpg.Pool[asyncpg.Record],
        broker: KafkaBroker,
        *,
        schema: str,
        batch_size: int = 500,
        poll_interval_s: float = 1.0,
        keep_sent: timedelta = timedelta(days=1),
        topic_prefix: str = "",
    ) -> None:
        self._pool, self._broker, self._schema = pool, broker, schema
        self._prefix = topic_prefix
        self._lock_key = f"{notify_channel(schema)}:{topic_prefix}"
        self._batch_size, self._poll_interval_s, self._keep_sent = (
            batch_size,
            poll_interval_s,
            keep_sent,
        )
        self._wake = asyncio.Event()
        self._backoff = Backoff()
        self._log = structlog.get_logger("outbox").bind(schema=schema)

    async def run(self) -> None:
        """Publish forever; survive broker and database outages with backoff."""
        while True:
            try:
                await self._lead_and_publish()
            except asyncio.CancelledError:
                raise
            except Exception:
                pause = self._backoff.next_pause()
                self._log.exception("outbox relay failed; retrying", backoff_s=pause)
                await asyncio.sleep(pause)

    async def _lead_and_publish(self) -> None:
        async with self._pool.acquire() as conn:
            # Marking a row sent leaves a dead entry in the partial `outbox_unsent` index
            # until vacuum. A bitmap scan visits every one of them on each poll (1-2 ms
            # after a few thousand sends); a plain index scan marks them dead once and
            # skips them afterwards. Custom plans: a generic plan of the mark-sent
            # update, made while the table was nearly empty, keeps scanning all of it.
            # The pool's reset on release undoes both settings.
            await conn.execute(
                "SET enable_bitmapscan = off; SET plan_cache_mode = force_custom_plan"
            )
            await conn.execute("SELECT pg_advisory_lock(hashtext($1))", self._lock_key)
            await conn.add_listener(notify_channel(self._schema), self._on_notify)
            # The leader also purges old sent rows, on a connection of its own so that
            # publishing never waits for a purge.
            purging = asyncio.create_task(self._purge_loop(), name=f"outbox-purge-{self._schema}")
            try:
                await self._publish_loop(conn)
            finally:
                purging.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await purging
                await conn.remove_listener(notify_channel(self._schema), self._on_notify)
                await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", self._lock_key)

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    async def _purge_loop(self) -> None:
        while True:
            await asyncio.sleep(PURGE_INTERVAL_S)
            try:
                async with self._pool.acquire() as conn:
                    purged = await purge_sent(conn, self._keep_sent)
            except Exception as exc:  # the next round tries again; publishing goes on
                self._log.warning("outbox purge failed", reason=repr(exc))
                continue
            if purged:
                self._log.info("sent outbox rows purged", count=purged)

    async def _publish_loop(self, conn: Connection) -> None:
        counted = 0.0
        backlog = metrics().outbox_backlog.labels(self._schema)
        while True:
            self._wake.clear()
            published = await self.publish_batch(conn)
            self._backoff.recovered()
            if published < self._batch_size:
                # The batch held every unsent row: none is left but what committed since,
                # and that wakes the relay at once. No count needed on the idle path.
                backlog.set(0)
                await woken_or_polled(self._wake, self._poll_interval_s)
            elif time.monotonic() - counted >= BACKLOG_COUNT_INTERVAL_S:
                backlog.set(await conn.fetchval(_BACKLOG, self._prefix))
                counted = time.monotonic()

    async def publish_batch(self, conn: Connection) -> int:
        """Publish up to one batch of unsent rows; return how many were published."""
        rows = await conn.fetch(_UNSENT, self._batch_size, self._prefix)
        if not rows:
            return 0
        pending = [
            await self._broker.publish(
                row["value"],
                row["topic"],
                key=row["key"].encode(),
                headers=row["headers"],
                no_confirm=True,
            )
            for row in rows
        ]
        await asyncio.gather(*pending)
        await conn.execute(_MARK_SENT, [row["id"] for row in rows])
        metrics().outbox_published.labels(self._schema).inc(len(rows))
        self._log.debug("outbox published", count=len(rows), last_id=rows[-1]["id"])
        return len(rows)
