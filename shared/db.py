"""asyncpg pools: one per service, confined to the service's own schema."""

from __future__ import annotations

import json
from typing import TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# What repositories accept: a plain connection or one borrowed from a pool.
# (a string: asyncpg's classes are generic only in its type stubs)
Connection: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"


async def _init_connection(conn: asyncpg.Connection[asyncpg.Record]) -> None:
    # JSON columns arrive as Python objects and are written from them.
    for typename in ("json", "jsonb"):
        await conn.set_type_codec(
            typename, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )


async def create_pool(dsn: str, *, schema: str, max_size: int = 10) -> asyncpg.Pool[asyncpg.Record]:
    """A pool whose connections see only `schema` (and pg_catalog) by default."""
    pool = await asyncpg.create_pool(
        dsn,
        min_size=1,
        max_size=max_size,
        init=_init_connection,
        server_settings={"search_path": schema, "application_name": f"drehscheibe-{schema}"},
    )
    assert pool is not None  # create_pool returns None only when awaited lazily
    return pool
