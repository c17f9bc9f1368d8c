"""Pooled connections: no reset round trip on release, and no session state left behind."""

from __future__ import annotations

import pytest

from shared.db import create_pool, release_session_state

pytestmark = pytest.mark.integration

_MY_ADVISORY_LOCKS = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
)


async def test_a_released_connection_carries_no_transaction_and_no_released_lock(
    database_url: str,
) -> None:
    pool = await create_pool(database_url, schema="public", max_size=1)
    try:
        async with pool.acquire() as conn:
            pid = await conn.fetchval("SELECT pg_backend_pid()")
            await conn.execute("SELECT pg_advisory_lock(4242)")
            await conn.execute("LISTEN drehscheibe_pool_test")
            await release_session_state(conn)
        async with pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            await conn.execute("SELECT pg_advisory_xact_lock(4243)")
            # Returned mid-transaction (a bug elsewhere): asyncpg rolls it back.
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT pg_backend_pid()") == pid  # the same session
            assert not conn.is_in_transaction()
            assert await conn.fetchval(_MY_ADVISORY_LOCKS) == 0
            assert await conn.fetchval("SELECT count(*) FROM pg_listening_channels()") == 0
    finally:
        await pool.close()
