"""Composition root: builds the notification service's objects from its settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import aiohttp
import asyncpg

from services.notifications.adapters.email import SmtpConfig, SmtpSender
from services.notifications.adapters.http_client import AiohttpPoster, create_session
from services.notifications.adapters.webhook import HttpWebhookSender
from services.notifications.config import NotificationsSettings
from services.notifications.domain import backoff
from services.notifications.domain.isolation import Endpoints
from services.notifications.entrypoints.consumers import CONSUMER_NAME, build_router
from services.notifications.entrypoints.erasure import erasure_router
from services.notifications.entrypoints.inputs import consumers
from services.notifications.service_layer.digest import DigestWorker
from services.notifications.service_layer.recorder import OutcomeRecorder
from services.notifications.service_layer.unit_of_work import SCHEMA, NotificationsUnitOfWork
from services.notifications.service_layer.worker import DeliveryWorker, WorkerPolicy
from shared.consuming import DeadLetters
from shared.outbox import OUTBOX_MIGRATIONS, OutboxRelay
from shared.runtime import Runtime

MIGRATIONS = {"outbox": OUTBOX_MIGRATIONS, SCHEMA: Path(__file__).with_name("migrations")}
# A claimed delivery stays hidden for two attempt timeouts (one waiting for its
# endpoint's slot, one attempting) plus this margin, so a worker that dies
# mid-attempt releases it soon without racing a slow live attempt.
LEASE_MARGIN_S = 30.0


@dataclass(frozen=True, slots=True)
class Container:
    """Everything the running service holds, built once per process."""

    settings: NotificationsSettings
    runtime: Runtime
    http: aiohttp.ClientSession
    worker: DeliveryWorker

    def uow(self) -> NotificationsUnitOfWork:
        """A fresh unit of work on the service's schema."""
        return unit_of_work(self.settings, self.runtime.pool)


def unit_of_work(
    settings: NotificationsSettings, pool: asyncpg.Pool[asyncpg.Record]
) -> NotificationsUnitOfWork:
    """A unit of work whose outcomes go to this deployment's topics."""
    return NotificationsUnitOfWork(
        pool, schema=SCHEMA, kafka=settings.kafka, source=settings.service_name
    )


def policy(settings: NotificationsSettings) -> WorkerPolicy:
    """The retry, lease and concurrency policy from the settings."""
    return WorkerPolicy(
        max_attempts=settings.webhook_max_attempts,
        backoff=partial(
            backoff.delay,
            base_s=settings.webhook_backoff_base_s,
            cap_s=settings.webhook_backoff_cap_s,
        ),
        lease_s=2 * settings.webhook_timeout_s + LEASE_MARGIN_S,
        batch_size=settings.worker_batch_size,
        poll_interval_s=settings.worker_poll_interval_s,
        max_in_flight=settings.worker_max_in_flight,
        max_age_s=settings.webhook_max_age_s,
    )


def _smtp(settings: NotificationsSettings) -> SmtpSender:
    return SmtpSender(
        SmtpConfig(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_sender,
            timeout_s=settings.webhook_timeout_s,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )
    )


def _spawn_workers(
    settings: NotificationsSettings, runtime: Runtime, http: aiohttp.ClientSession
) -> DeliveryWorker:
    pool, rules = runtime.pool, policy(settings)
    recorder = OutcomeRecorder(partial(unit_of_work, settings, pool))
    webhook = HttpWebhookSender(
        AiohttpPoster(http),
        settings.webhook_secret,
        allow_insecure_localhost=settings.allow_insecure_localhost,
    )
    smtp = _smtp(settings)
    endpoints = Endpoints(
        limit=settings.endpoint_concurrency,
        threshold=settings.breaker_threshold,
        cooldown_s=settings.breaker_cooldown_s,
    )
    worker = DeliveryWorker(
        pool, {"webhook": webhook, "email": smtp}, rules, endpoints=endpoints, recorder=recorder
    )
    digests = DigestWorker(pool, smtp, rules, recorder=recorder, worker=worker)
    relay = OutboxRelay(
        pool,
        runtime.broker,
        schema=SCHEMA,
        batch_size=settings.outbox_batch_size,
        poll_interval_s=settings.outbox_poll_interval_s,
        topic_prefix=settings.kafka.topic_prefix,
    )
    runtime.spawn(recorder.run(), "outcome-recorder")
    runtime.spawn(worker.run(), "delivery-worker")
    runtime.spawn(digests.run(), "digest-worker")
    runtime.spawn(relay.run(), "outbox-relay")
    return worker


async def start(settings: NotificationsSettings) -> Container:
    """Connect, migrate, subscribe to the input topics, start workers and the relay."""
    runtime = await Runtime.connect(settings, schema=SCHEMA, migrations=MIGRATIONS)
    http = create_session(
        timeout_s=settings.webhook_timeout_s, max_connections=settings.worker_max_in_flight
    )
    runtime.defer(http.close)
    dead = DeadLetters(runtime.broker, settings.kafka, consumer=CONSUMER_NAME)
    uow = partial(unit_of_work, settings, runtime.pool)
    router = build_router(settings.kafka, consumers(settings, uow, dead))
    runtime.broker.include_router(router)
    runtime.broker.include_router(erasure_router(settings.kafka, uow, dead))
    async with runtime.closing_on_error():
        await runtime.start_broker(settings.kafka_start_timeout_s)
    worker = _spawn_workers(settings, runtime, http)
    return Container(settings=settings, runtime=runtime, http=http, worker=worker)
