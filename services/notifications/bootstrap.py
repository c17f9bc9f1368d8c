"""Composition root: builds the service's clients and objects from its settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import asyncpg
import httpx
from faststream.kafka import KafkaBroker
from redis.asyncio import Redis

from services.notifications.adapters.webhook import HttpWebhookSender, create_http_client
from services.notifications.config import NotificationsSettings
from services.notifications.domain import backoff
from services.notifications.entrypoints.consumers import CONSUMER_NAME, build_router
from services.notifications.service_layer.handlers import record_match
from services.notifications.service_layer.worker import DeliveryWorker, WorkerPolicy
from shared.consuming import DeadLetters, EventConsumer
from shared.db import create_pool
from shared.events import CloudEvent, EventPayload, MatchFoundV1
from shared.kafka import create_broker
from shared.migrations import migrate

SCHEMA = "notifications"
MIGRATIONS = {SCHEMA: Path(__file__).with_name("migrations")}
# A claimed delivery stays hidden this long beyond its HTTP timeout, so a worker
# that dies mid-attempt releases it soon without racing a slow live attempt.
LEASE_MARGIN_S = 30.0


@dataclass(frozen=True, slots=True)
class Resources:
    """Everything the running service holds, built once per process."""

    pool: asyncpg.Pool[asyncpg.Record]
    broker: KafkaBroker
    redis: Redis
    http: httpx.AsyncClient
    dead_letters: DeadLetters
    worker: DeliveryWorker


def _worker(
    settings: NotificationsSettings, pool: asyncpg.Pool[asyncpg.Record], http: httpx.AsyncClient
) -> DeliveryWorker:
    policy = WorkerPolicy(
        max_attempts=settings.webhook_max_attempts,
        backoff=partial(
            backoff.delay,
            base_s=settings.webhook_backoff_base_s,
            cap_s=settings.webhook_backoff_cap_s,
        ),
        lease_s=settings.webhook_timeout_s + LEASE_MARGIN_S,
        batch_size=settings.worker_batch_size,
        poll_interval_s=settings.worker_poll_interval_s,
    )
    return DeliveryWorker(pool, HttpWebhookSender(http, settings.webhook_secret), policy)


def _match_consumer(
    settings: NotificationsSettings, pool: asyncpg.Pool[asyncpg.Record], dead: DeadLetters
) -> EventConsumer:
    async def apply(envelope: CloudEvent, payload: EventPayload) -> None:
        await record_match(pool, envelope, payload, target_url=settings.webhook_url)

    return EventConsumer(accepted=[MatchFoundV1], apply=apply, dead_letters=dead)


@asynccontextmanager
async def bootstrap(settings: NotificationsSettings) -> AsyncIterator[Resources]:
    """Build the clients and wire the consumers and worker; close the clients on exit."""
    async with AsyncExitStack() as stack:
        pool = await create_pool(
            settings.database_url, schema=SCHEMA, max_size=settings.database_pool_max
        )
        stack.push_async_callback(pool.close)
        redis = Redis.from_url(settings.redis_url)
        stack.push_async_callback(redis.aclose)
        http = create_http_client(timeout_s=settings.webhook_timeout_s)
        stack.push_async_callback(http.aclose)
        broker = _broker(settings)
        dead = DeadLetters(broker, settings.kafka, consumer=CONSUMER_NAME)
        broker.include_router(build_router(settings.kafka, _match_consumer(settings, pool, dead)))
        yield Resources(pool, broker, redis, http, dead, _worker(settings, pool, http))


def _broker(settings: NotificationsSettings) -> KafkaBroker:
    return create_broker(settings.kafka, logger=logging.getLogger(f"{settings.service_name}.kafka"))


async def migrate_schema(pool: asyncpg.Pool[asyncpg.Record]) -> list[str]:
    """Bring the `notifications` schema up to date; the versions applied."""
    async with pool.acquire() as conn:
        return await migrate(conn, schema=SCHEMA, sources=MIGRATIONS)
