"""The outbox relay against the real PostgreSQL and Kafka: order, marking, the backlog gauge."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import asyncpg
import pytest

from bench.hub.kafka_state import read_all
from shared.db import create_pool
from shared.kafka import create_broker
from shared.metrics import metrics
from shared.migrations import migrate
from shared.outbox import OUTBOX_MIGRATIONS, OutboxMessage, OutboxRelay, append, purge_sent
from shared.settings import KafkaSettings
from shared.topics import BULLETINS, qualified
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.integration

SCHEMA = "relay_test"


async def test_relay_publishes_in_id_order_past_sent_rows_and_reports_no_backlog_when_done(
    own_database: str, stack: StackUrls, topic_prefix: str
) -> None:
    topic = qualified(BULLETINS, topic_prefix)
    conn = await asyncpg.connect(own_database)
    await migrate(conn, schema=SCHEMA, sources={"outbox": OUTBOX_MIGRATIONS})
    await conn.execute(f"SET search_path TO {SCHEMA}")
    pool = await create_pool(own_database, schema=SCHEMA, max_size=1)
    async with pool.acquire() as writer:
        # History: rows sent long ago leave dead entries in the unsent index; the relay
        # must read past them (and not publish them again).
        old = [OutboxMessage(topic, f"old-{i}", b"{}") for i in range(300)]
        await append(writer, old, schema=SCHEMA)
        await writer.execute("UPDATE outbox SET sent_at = clock_timestamp()")
        fresh = [OutboxMessage(topic, f"new-{i}", f'{{"n": {i}}}'.encode()) for i in range(5)]
        await append(writer, fresh, schema=SCHEMA)
    settings = KafkaSettings(
        bootstrap_servers=stack.kafka, topic_prefix=topic_prefix, client_id="relay-test"
    )
    broker = create_broker(settings)
    await broker.connect()
    backlog = metrics().outbox_backlog.labels(SCHEMA)
    backlog.set(-1)  # anything but what the relay reports
    relay = OutboxRelay(pool, broker, schema=SCHEMA, batch_size=2, topic_prefix=topic_prefix)
    running = asyncio.create_task(relay.run())
    try:

        async def all_sent() -> bool:
            return bool(
                await conn.fetchval("SELECT count(*) = 0 FROM outbox WHERE sent_at IS NULL")
            )

        await eventually(all_sent, timeout=30, what="every fresh row marked sent")

        # The last batch was not full: it took every unsent row, so none is left.
        async def no_backlog() -> bool:
            return float(backlog._value.get()) == 0

        await eventually(no_backlog, timeout=10, what="the backlog gauge at 0")
        records = await read_all(stack.kafka, topic)
        by_key = {r.key.decode(): r.value for r in records if r.key}
        assert sorted(by_key) == [f"new-{i}" for i in range(5)]  # nothing sent twice
        assert by_key["new-3"] == b'{"n": 3}'
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        # The relay's settings and its lock do not outlive it on the pooled connection.
        async with pool.acquire() as same:  # the pool's only connection, the relay's
            assert await same.fetchval("SHOW enable_bitmapscan") == "on"
            assert await same.fetchval("SHOW plan_cache_mode") == "auto"
            held = (
                "SELECT count(*) FROM pg_locks"
                " WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            )
            assert await same.fetchval(held) == 0
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await broker.stop()
        await pool.close()
        await conn.close()


async def test_purge_deletes_old_sent_rows_only_and_a_range_at_a_time(own_database: str) -> None:
    setup = await asyncpg.connect(own_database)
    await migrate(setup, schema=SCHEMA, sources={"outbox": OUTBOX_MIGRATIONS})
    await setup.close()
    pool = await create_pool(own_database, schema=SCHEMA, max_size=1)
    try:
        conn = await pool.acquire()
        rows = [OutboxMessage("t", f"k-{i}", b"{}") for i in range(12)]
        await append(conn, rows, schema=SCHEMA)
        ids = [r["id"] for r in await conn.fetch("SELECT id FROM outbox ORDER BY id")]
        # The first eight were written two days ago; of them all but one were sent.
        # Of the young ones, all were sent: young rows stay whatever their state.
        await conn.execute(
            "UPDATE outbox SET created_at = now() - interval '2 days' WHERE id = ANY($1)", ids[:8]
        )
        await conn.execute("UPDATE outbox SET sent_at = now() WHERE id <> $1", ids[3])
        statements: list[str] = []
        conn.add_query_logger(lambda q: statements.append(q.query))

        purged = await purge_sent(conn, timedelta(days=1), batch=3)

        assert purged == 7
        left = [r["id"] for r in await conn.fetch("SELECT id FROM outbox ORDER BY id")]
        assert left == [ids[3], *ids[8:]]  # the old unsent row waits for its relay
        assert sum("DELETE" in q for q in statements) == 3  # ids 0-2, 3-5, 6-7
        assert await purge_sent(conn, timedelta(days=1)) == 0
        await pool.release(conn)
    finally:
        await pool.close()
