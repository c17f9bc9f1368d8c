"""What every service holds for its lifetime: pool, broker, Redis and background tasks."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import structlog
from faststream.kafka import KafkaBroker
from redis.asyncio import Redis

from shared import commits
from shared.db import create_pool
from shared.health import Check, database_check, kafka_check, redis_check
from shared.kafka import create_broker
from shared.lag import report_lag
from shared.metrics import metrics
from shared.migrations import migrate
from shared.settings import CommonSettings

POOL_CLOSE_TIMEOUT_S = 10.0


@dataclass
class Runtime:
    """The connections of one service process; the composition root builds it once."""

    pool: asyncpg.Pool[asyncpg.Record]
    broker: KafkaBroker
    redis: Redis
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    on_close: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # Where the lag reporter connects; None (a secured cluster) leaves lag unreported.
    lag_bootstrap: str | None = None

    @classmethod
    async def connect(
        cls, settings: CommonSettings, *, schema: str, migrations: Mapping[str, Path]
    ) -> Runtime:
        """Open the pool, bring the schema up to date, create (not start) the broker."""
        pool = await create_pool(
            settings.database_url, schema=schema, max_size=settings.database_pool_max
        )
        try:
            async with pool.acquire() as conn:
                applied = await migrate(conn, schema=schema, sources=migrations)
        except BaseException:
            await pool.close()
            raise
        structlog.get_logger("runtime").info("schema migrated", schema=schema, applied=applied)
        lag_bootstrap = None if settings.kafka_sasl_username else settings.kafka_bootstrap_servers
        return cls(
            pool,
            create_broker(settings.kafka),
            Redis.from_url(settings.redis_url),
            lag_bootstrap=lag_bootstrap,
        )

    async def start_broker(self, timeout_s: float) -> None:
        """Start producing and consuming; fail loudly instead of waiting forever.

        FastStream's start waits without end for a topic that does not exist (topics
        are never auto-created), so a bounded start lets an orchestrator restart us.
        """
        try:
            await asyncio.wait_for(self.broker.start(), timeout_s)
        except TimeoutError as exc:
            raise RuntimeError(
                f"Kafka did not start within {timeout_s} s; is it up and do the topics exist?"
            ) from exc
        if metrics().subscriptions and self.lag_bootstrap is not None:
            self.spawn(report_lag(self.lag_bootstrap, metrics()), "consumer-lag")

    @asynccontextmanager
    async def closing_on_error(self) -> AsyncIterator[None]:
        """Close everything opened so far when the start-up inside the block fails."""
        try:
            yield
        except BaseException:
            await self.close()
            raise

    def defer(self, close: Callable[[], Awaitable[None]]) -> None:
        """Close another resource (an HTTP client, say) when the runtime closes."""
        self.on_close.append(close)

    def spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        """Run a background task until close()."""
        self.tasks.append(asyncio.create_task(coro, name=name))

    def checks(self) -> dict[str, Check]:
        """Readiness checks of the three dependencies."""
        return {
            "kafka": kafka_check(self.broker),
            "database": database_check(self.pool),
            "redis": redis_check(self.redis),
        }

    async def close(self) -> None:
        """Stop background tasks, then the broker, then the clients."""
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        # Before the consumers stop, or their applied batches would be applied again.
        await commits.close_all()
        await self.broker.stop()
        for close in reversed(self.on_close):
            await close()
        await self.redis.aclose()
        try:
            # asyncpg's close waits for every connection to come back; one never
            # released (a task that holds it was lost) must not keep the process from
            # stopping. Cancelled, close() terminates the pool's connections instead.
            async with asyncio.timeout(POOL_CLOSE_TIMEOUT_S):
                await self.pool.close()
        except TimeoutError:
            structlog.get_logger("runtime").warning(
                "database pool closed by force: a connection was not released",
                waited_s=POOL_CLOSE_TIMEOUT_S,
            )
