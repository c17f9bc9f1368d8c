"""Composition root: builds the notification service's objects from its settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import asyncpg
import httpx

from services.notifications.adapters.webhook import HttpWebhookSender, create_http_client
from services.notifications.config import NotificationsSettings
from services.notifications.domain import backoff
from services.notifications.entrypoints.consumers import CONSUMER_NAME, build_router
from services.notifications.service_layer.handlers import record_match
from services.notifications.service_layer.worker import DeliveryWorker, WorkerPolicy
from shared.consuming import DeadLetters, EventConsumer
from shared.events import CloudEvent, EventPayload, MatchFoundV1
from shared.runtime import Runtime

SCHEMA = "notifications"
MIGRATIONS = {SCHEMA: Path(__file__).with_name("migrations")}
# A claimed delivery stays hidden this long beyond its HTTP timeout, so a worker
# that dies mid-attempt releases it soon without racing a slow live attempt.
LEASE_MARGIN_S = 30.0


@dataclass(frozen=True, slots=True)
class Container:
    """Everything the running service holds, built once per process."""

    settings: NotificationsSettings
    runtime: Runtime
    http: httpx.AsyncClient
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


async def start(settings: NotificationsSettings) -> Container:
    """Connect, migrate, subscribe to matches, start the delivery worker."""
    runtime = await Runtime.connect(settings, schema=SCHEMA, migrations=MIGRATIONS)
    http = create_http_client(timeout_s=settings.webhook_timeout_s)
    runtime.defer(http.aclose)
    dead = DeadLetters(runtime.broker, settings.kafka, consumer=CONSUMER_NAME)
    consumer = _match_consumer(settings, runtime.pool, dead)
    runtime.broker.include_router(build_router(settings.kafka, consumer))
    async with runtime.closing_on_error():
        await runtime.start_broker(settings.kafka_start_timeout_s)
    worker = _worker(settings, runtime.pool, http)
    runtime.spawn(worker.run(), "delivery-worker")
    return Container(settings=settings, runtime=runtime, http=http, worker=worker)
