"""Composition root: builds the profiles service's long-lived objects from its settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.profiles.config import ProfilesSettings
from services.profiles.service_layer.unit_of_work import SCHEMA, ProfilesUnitOfWork
from shared.outbox import OUTBOX_MIGRATIONS, OutboxRelay
from shared.reference.geo import PostcodeDirectory
from shared.runtime import Runtime

MIGRATIONS = {"outbox": OUTBOX_MIGRATIONS, SCHEMA: Path(__file__).with_name("migrations")}


@dataclass
class Container:
    """Process-wide singletons of the profiles service."""

    settings: ProfilesSettings
    runtime: Runtime
    postcodes: PostcodeDirectory

    def uow(self) -> ProfilesUnitOfWork:
        """A fresh unit of work on the service's schema."""
        return ProfilesUnitOfWork(
            self.runtime.pool,
            schema=SCHEMA,
            kafka=self.settings.kafka,
            source=self.settings.service_name,
        )


async def start(settings: ProfilesSettings) -> Container:
    """Connect, migrate, start the broker and the outbox relay."""
    runtime = await Runtime.connect(settings, schema=SCHEMA, migrations=MIGRATIONS)
    async with runtime.closing_on_error():
        await runtime.start_broker(settings.kafka_start_timeout_s)
    relay = OutboxRelay(
        runtime.pool,
        runtime.broker,
        schema=SCHEMA,
        batch_size=settings.outbox_batch_size,
        poll_interval_s=settings.outbox_poll_interval_s,
    )
    runtime.spawn(relay.run(), "outbox-relay")
    return Container(settings=settings, runtime=runtime, postcodes=PostcodeDirectory.load())
