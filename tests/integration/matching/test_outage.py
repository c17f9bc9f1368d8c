"""A batch that fails while the database is away leaves no trace in the matcher's memory."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any, Self

import asyncpg
import pytest

from services.matching.bootstrap import MIGRATIONS, policy_of
from services.matching.config import MatchingSettings
from services.matching.domain.engine import Engine
from services.matching.domain.related import RelatedCompetences
from services.matching.service_layer.matcher import Matcher, StateNotRestoredError
from services.matching.service_layer.translate import Translator
from services.matching.service_layer.unit_of_work import SCHEMA, MatchingUnitOfWork
from shared.db import create_pool
from shared.events import ProfilePublishedV1, VacancyOpenedV1
from shared.migrations import migrate
from shared.reference.geo import PostcodeDirectory
from tests.integration.matching.helpers import GMP

pytestmark = pytest.mark.integration


class Outage:
    """Units of work that fail at commit, then cannot even connect, until lifted."""

    def __init__(self, pool: asyncpg.Pool[asyncpg.Record], settings: MatchingSettings) -> None:
        self.pool, self.settings = pool, settings
        self.failing_commit, self.unreachable = False, False

    def __call__(self) -> MatchingUnitOfWork:
        outage = self

        class Flaky(MatchingUnitOfWork):
            async def __aenter__(self) -> Self:
                if outage.unreachable:
                    raise ConnectionRefusedError("connect call failed")
                return await super().__aenter__()

            async def commit(self) -> None:
                if outage.failing_commit:
                    outage.unreachable = True  # the server went away mid-transaction
                    raise ConnectionResetError("connection lost during commit")
                await super().commit()

        kafka = self.settings.kafka
        return Flaky(self.pool, schema=SCHEMA, kafka=kafka, source="outage-test")


@pytest.fixture
async def outage(own_database: str, settings: MatchingSettings) -> AsyncIterator[Outage]:
    # Its own database: other tests' state would match too, and its unsent outbox rows
    # (no relay runs here) would keep other tests from ever seeing the outbox drained.
    pool = await create_pool(own_database, schema=SCHEMA, max_size=4)
    async with pool.acquire() as conn:
        await migrate(conn, schema=SCHEMA, sources=MIGRATIONS)
    yield Outage(pool, settings)
    await pool.close()


def _pair() -> list[Any]:
    vid, pid = uuid.uuid4(), uuid.uuid4()
    competences = [{"competence_id": GMP, "min_level": 2}]
    return [
        VacancyOpenedV1.model_validate(
            {"vacancy_id": str(vid), "version": 1, "competences": competences,
             "occupation": "http://data.europa.eu/esco/occupation/chemical-production-operator",
             "postcode": "06237", "radius_km": 40}
        ),
        ProfilePublishedV1.model_validate(
            {"profile_id": str(pid), "version": 1, "occupations": [],
             "competences": [{"competence_id": GMP, "level": 3}],
             "postcode": "06258", "radius_km": 30}
        ),
    ]  # fmt: skip


async def test_a_batch_lost_with_the_database_is_applied_in_full_when_redelivered(
    outage: Outage, settings: MatchingSettings
) -> None:
    engine = Engine(policy_of(settings), RelatedCompetences())
    matcher = Matcher(engine, Translator(PostcodeDirectory.load(), None), outage)
    await matcher.start()
    batch = _pair()

    outage.failing_commit = True
    with pytest.raises(ConnectionResetError):
        await matcher.handle_batch(batch)
    with pytest.raises(StateNotRestoredError):  # still away: nothing may be applied
        await matcher.handle_batch(batch)

    outage.failing_commit = outage.unreachable = False
    redelivered = await matcher.handle_batch(batch)  # as Kafka does after the failure
    assert (redelivered.applied, redelivered.ignored, redelivered.emitted) == (2, 0, 1)
    vid, pid = batch[0].vacancy_id, batch[1].profile_id
    assert engine.state.matches[(vid, pid)].version == 1
