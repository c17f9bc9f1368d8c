"""Composition root of the matching service."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.matching.config import MatchingSettings
from services.matching.domain.scoring import Weights
from services.matching.service_layer.unit_of_work import SCHEMA, MatchingUnitOfWork
from shared.outbox import OUTBOX_MIGRATIONS, OutboxRelay
from shared.reference.geo import PostcodeDirectory
from shared.runtime import Runtime

MIGRATIONS = {"outbox": OUTBOX_MIGRATIONS, SCHEMA: Path(__file__).with_name("migrations")}


@dataclass
class Container:
    """Process-wide singletons of the matching service."""

    settings: MatchingSettings
    runtime: Runtime
    postcodes: PostcodeDirectory
    weights: Weights

    def uow(self) -> MatchingUnitOfWork:
        """A fresh unit of work on the matcher's schema."""
        return MatchingUnitOfWork(
            self.runtime.pool,
            schema=SCHEMA,
            kafka=self.settings.kafka,
            source=self.settings.service_name,
        )


async def start(settings: MatchingSettings) -> Container:
    """Connect, migrate, subscribe, start consuming and relaying."""
    from services.matching.entrypoints.consumers import build_router

    runtime = await Runtime.connect(settings, schema=SCHEMA, migrations=MIGRATIONS)
    container = Container(
        settings=settings,
        runtime=runtime,
        postcodes=PostcodeDirectory.load(),
        weights=Weights(
            competence=settings.weight_competence,
            region=settings.weight_region,
            min_score=settings.min_score,
        ),
    )
    runtime.broker.include_router(build_router(container))
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
    return container
