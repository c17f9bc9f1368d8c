"""Composition root: builds the profiles service's long-lived objects from its settings."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from services.profiles.adapters.organisations import OrganisationRepository
from services.profiles.adapters.rate_limit import RateLimiter, RedisCounter
from services.profiles.adapters.reference import Reference, load_reference
from services.profiles.config import ProfilesSettings
from services.profiles.domain.access import Principal
from services.profiles.entrypoints import inbox, projections
from services.profiles.service_layer import access
from services.profiles.service_layer.unit_of_work import SCHEMA, ProfilesUnitOfWork
from shared.outbox import OUTBOX_MIGRATIONS, OutboxRelay
from shared.runtime import Runtime

MIGRATIONS = {"outbox": OUTBOX_MIGRATIONS, SCHEMA: Path(__file__).with_name("migrations")}


@dataclass
class Container:
    """Process-wide singletons of the profiles service."""

    settings: ProfilesSettings
    runtime: Runtime
    reference: Reference
    limiter: RateLimiter

    @property
    def pepper(self) -> bytes:
        """The server-side key of API-key digests."""
        return self.settings.api_key_pepper.get_secret_value().encode()

    async def authenticate(self, token: str) -> Principal | None:
        """The caller a bearer token belongs to (one query, outside any transaction)."""
        async with self.runtime.pool.acquire() as conn:
            repo = OrganisationRepository(conn)
            return await access.authenticate(repo, self.reference, self.pepper, token)

    def uow(self) -> ProfilesUnitOfWork:
        """A fresh unit of work on the service's schema."""
        return ProfilesUnitOfWork(
            self.runtime.pool,
            schema=SCHEMA,
            kafka=self.settings.kafka,
            source=self.settings.service_name,
        )


async def _relay_after(delay_s: float, relay: OutboxRelay) -> None:
    # Tests only: holds events in the outbox so a test can kill the process first.
    await asyncio.sleep(delay_s)
    await relay.run()


async def start(settings: ProfilesSettings) -> Container:
    """Connect, migrate, subscribe, start the broker and the outbox relay."""
    runtime = await Runtime.connect(settings, schema=SCHEMA, migrations=MIGRATIONS)
    limiter = RateLimiter(
        RedisCounter(runtime.redis),
        limit=settings.rate_limit_requests,
        window_s=settings.rate_limit_window_s,
        timeout_s=settings.rate_limit_timeout_s,
    )
    container = Container(settings, runtime, load_reference(), limiter)
    async with runtime.closing_on_error():
        runtime.broker.include_router(inbox.build_router(container))
        runtime.broker.include_router(projections.build_router(container))
        await runtime.start_broker(settings.kafka_start_timeout_s)
    relay = OutboxRelay(
        runtime.pool,
        runtime.broker,
        schema=SCHEMA,
        batch_size=settings.outbox_batch_size,
        poll_interval_s=settings.outbox_poll_interval_s,
        topic_prefix=settings.kafka.topic_prefix,
    )
    runtime.spawn(_relay_after(settings.outbox_start_delay_s, relay), "outbox-relay")
    return container
