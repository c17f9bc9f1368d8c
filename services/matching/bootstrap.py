"""Composition root of the matching service."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import structlog

from services.matching.config import MatchingSettings
from services.matching.domain.engine import Engine
from services.matching.domain.policy import Policy
from services.matching.service_layer import reference
from services.matching.service_layer.matcher import Matcher
from services.matching.service_layer.translate import Translator
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
    matcher: Matcher

    def uow(self) -> MatchingUnitOfWork:
        """A fresh unit of work on the matcher's schema."""
        return MatchingUnitOfWork(
            self.runtime.pool,
            schema=SCHEMA,
            kafka=self.settings.kafka,
            source=self.settings.service_name,
        )


def policy_of(settings: MatchingSettings) -> Policy:
    """The scoring policy from the settings."""
    return Policy(
        competence=settings.weight_competence,
        region=settings.weight_region,
        dqr=settings.weight_dqr,
        availability=settings.weight_availability,
        working_time=settings.weight_working_time,
        min_score=settings.min_score,
        top_k_per_vacancy=settings.top_k_per_vacancy,
        top_k_per_profile=settings.top_k_per_profile,
        related_credit=settings.related_credit,
        bridging_credit=settings.bridging_credit,
    )


async def start(settings: MatchingSettings) -> Container:
    """Connect, migrate, load the state, subscribe, start consuming and relaying."""
    from services.matching.entrypoints.consumers import build_router

    runtime = await Runtime.connect(settings, schema=SCHEMA, migrations=MIGRATIONS)
    async with runtime.closing_on_error():
        translator = Translator(
            PostcodeDirectory.load(),
            reference.competence_catalogue(settings.reject_unknown_competences),
        )
        engine = Engine(policy_of(settings), reference.related_competences())
        container = Container(settings=settings, runtime=runtime, matcher=None)  # type: ignore[arg-type]
        container.matcher = Matcher(engine, translator, container.uow, page=settings.load_page_size)
        began = time.monotonic()
        rows = await container.matcher.start()
        structlog.get_logger("matching").info(
            "state loaded", rows=rows, seconds=round(time.monotonic() - began, 2)
        )
        runtime.broker.include_router(build_router(container))
        await runtime.start_broker(settings.kafka_start_timeout_s)
    relay = OutboxRelay(
        runtime.pool,
        runtime.broker,
        schema=SCHEMA,
        batch_size=settings.outbox_batch_size,
        poll_interval_s=settings.outbox_poll_interval_s,
        topic_prefix=settings.kafka.topic_prefix,
    )
    runtime.spawn(relay.run(), "outbox-relay")
    return container
