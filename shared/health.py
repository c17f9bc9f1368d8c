"""`/healthz` (the process is alive) and `/readyz` (its Kafka, database and Redis answer)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

import asyncpg
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker
from redis.asyncio import Redis

Check = Callable[[], Awaitable[bool]]


def kafka_check(broker: KafkaBroker) -> Check:
    """Ready when the broker answers a metadata request."""

    async def check() -> bool:
        return bool(await broker.ping(timeout=2.0))

    return check


def database_check(pool: asyncpg.Pool[asyncpg.Record]) -> Check:
    """Ready when the pool can run a query."""

    async def check() -> bool:
        return bool(await pool.fetchval("SELECT 1", timeout=2.0) == 1)

    return check


def redis_check(redis: Redis) -> Check:
    """Ready when Redis answers PING."""

    async def check() -> bool:
        pong = redis.ping()
        # redis-py types ping() for both its sync and async clients.
        return bool(await pong if isinstance(pong, Awaitable) else pong)

    return check


async def _run(check: Check) -> bool:
    try:
        return await asyncio.wait_for(check(), timeout=3.0)
    except Exception:
        return False


def health_router(checks: Callable[[], Mapping[str, Check]]) -> APIRouter:
    """Liveness and readiness routes; `checks` yields the dependency checks once started.

    The checks are looked up per request because the clients they test are made in
    the application's lifespan, after the routes exist.
    """
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Kafka, PostgreSQL and Redis are reachable")
    async def readyz() -> JSONResponse:
        current = checks()
        outcomes = await asyncio.gather(*map(_run, current.values()))
        results = dict(zip(current, outcomes, strict=True))
        ready = bool(current) and all(results.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": results},
            status_code=200 if ready else 503,
        )

    return router
