"""The HTTP side of the service: health endpoints, and the lifespan that runs everything."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

import structlog
from fastapi import FastAPI

from services.notifications.bootstrap import Resources, bootstrap, migrate_schema
from services.notifications.config import NotificationsSettings
from shared.health import Check, database_check, health_router, kafka_check, redis_check

_log = structlog.get_logger("notifications.app")


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _start_broker(resources: Resources, timeout_s: float) -> None:
    # FastStream's start waits forever for a topic that does not exist (topics are
    # never auto-created); failing loudly lets the orchestrator restart the service.
    try:
        await asyncio.wait_for(resources.broker.start(), timeout_s)
    except TimeoutError as exc:
        raise RuntimeError(
            f"Kafka consumers did not start within {timeout_s} s; do the topics exist?"
        ) from exc


def _lifespan(
    settings: NotificationsSettings,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Shutdown runs the callbacks in reverse: worker, broker, then the clients.
        async with AsyncExitStack() as stack:
            resources = await stack.enter_async_context(bootstrap(settings))
            applied = await migrate_schema(resources.pool)
            _log.info("schema migrated", schema="notifications", applied=applied)
            stack.push_async_callback(resources.broker.stop)
            await _start_broker(resources, settings.kafka_start_timeout_s)
            worker = asyncio.create_task(resources.worker.run(), name="delivery-worker")
            stack.push_async_callback(_cancel, worker)
            app.state.resources = resources
            _log.info("notifications started", webhook_configured=settings.webhook_url is not None)
            try:
                yield
            finally:
                app.state.resources = None
                _log.info("notifications stopping")

    return lifespan


def _checks(app: FastAPI) -> Callable[[], dict[str, Check]]:
    # The clients exist only while the lifespan runs; with no checks the service
    # reports itself not ready.
    def checks() -> dict[str, Check]:
        resources: Resources | None = getattr(app.state, "resources", None)
        if resources is None:
            return {}
        return {
            "kafka": kafka_check(resources.broker),
            "database": database_check(resources.pool),
            "redis": redis_check(resources.redis),
        }

    return checks


def create_app(settings: NotificationsSettings) -> FastAPI:
    """The notification service as an ASGI app; nothing starts until its lifespan does."""
    app = FastAPI(
        title="Drehscheibe notifications",
        summary="Signed webhook delivery of match events.",
        lifespan=_lifespan(settings),
    )
    app.include_router(health_router(_checks(app)))
    return app
