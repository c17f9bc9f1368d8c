"""Use cases: apply one input event under the writer lock, persist, emit what changed."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any
from uuid import UUID

import structlog

from services.matching.adapters.state import LAST_SEQ, StateTables
from services.matching.domain.engine import Emitted, Engine
from services.matching.domain.state import Dirty
from services.matching.service_layer.loading import Loader
from services.matching.service_layer.translate import Translator
from services.matching.service_layer.unit_of_work import MatchingUnitOfWork
from shared.events import (
    EventPayload,
    ProfileErasedV1,
    ProfilePublishedV1,
    ProfileUpdatedV1,
    ProfileWithdrawnV1,
    TrainingOfferPublishedV1,
    TrainingOfferWithdrawnV1,
    VacancyClosedV1,
    VacancyOpenedV1,
    VacancyUpdatedV1,
    match_key,
)
from shared.topics import MATCHES

UowFactory = Callable[[], MatchingUnitOfWork]
ACCEPTED: tuple[type[EventPayload], ...] = (
    VacancyOpenedV1,
    VacancyUpdatedV1,
    VacancyClosedV1,
    ProfilePublishedV1,
    ProfileUpdatedV1,
    ProfileWithdrawnV1,
    ProfileErasedV1,
    TrainingOfferPublishedV1,
    TrainingOfferWithdrawnV1,
)
log = structlog.get_logger("matcher")


class Matcher:
    """The engine of this replica and the transaction around each event."""

    def __init__(
        self, engine: Engine, translator: Translator, uow: UowFactory, *, page: int = 5000
    ) -> None:
        self.engine, self.translator, self._uow = engine, translator, uow
        self.loader = Loader(engine, Translator(translator.postcodes, None))
        self.seen, self.page = 0, page

    async def start(self) -> int:
        """Load the whole state from the tables in pages; how many rows were read.

        The writer lock is held only to read the change number every committed write
        has reached; loading then runs without it, so other replicas keep writing,
        and the first event catches up with whatever they wrote meanwhile.
        """
        async with self._uow() as uow:
            reached = await StateTables(uow.conn).lock()
        async with self._uow() as uow:
            loaded = await self.loader.since(StateTables(uow.conn), 0, page=self.page)
        self.seen = reached
        # The loaded state lives as long as the process: keep it out of the
        # collector's full passes, which otherwise grow with every stored profile.
        gc.freeze()
        return loaded

    async def handle(self, payload: EventPayload) -> int | None:
        """Apply one event; the number of match events emitted, None when stale or repeated."""
        step = self._plan(payload)  # raises InvalidEventError before any state changes
        dirty = Dirty()
        try:
            async with self._uow() as uow:
                tables = StateTables(uow.conn)
                reached = await tables.lock()
                if reached > self.seen:
                    await self.loader.since(tables, self.seen, page=self.page)
                    self.seen = reached
                emitted = step(dirty)
                if emitted is None:
                    return None
                await self._persist(tables, payload, dirty)
                for vid, pid, event in emitted:
                    uow.emit(MATCHES, match_key(vid, pid), event)
                self.seen = await uow.conn.fetchval(LAST_SEQ)
                await uow.commit()
                return len(emitted)
        except BaseException:
            if dirty:
                await self._undo(dirty)
            raise

    def _plan(self, e: EventPayload) -> Callable[[Dirty], Emitted | None]:
        en = self.engine
        if isinstance(e, VacancyOpenedV1 | VacancyUpdatedV1):
            v = self.translator.vacancy(e)
            return lambda d: en.upsert_vacancy(v, d)
        if isinstance(e, VacancyClosedV1):
            return lambda d: en.close_vacancy(e.vacancy_id, e.version, f"vacancy {e.reason}", d)
        if isinstance(e, ProfilePublishedV1 | ProfileUpdatedV1):
            p = self.translator.profile(e)
            return lambda d: en.upsert_profile(p, d)
        if isinstance(e, ProfileWithdrawnV1 | ProfileErasedV1):
            why = "profile erased" if isinstance(e, ProfileErasedV1) else "profile withdrawn"
            return lambda d: en.remove_profile(e.profile_id, e.version, why, d)
        if isinstance(e, TrainingOfferPublishedV1):
            o = self.translator.offer(e)
            return lambda d: en.upsert_offer(o, d)
        assert isinstance(e, TrainingOfferWithdrawnV1)
        return lambda d: en.remove_offer(e.offer_id, e.version, d)

    async def _persist(self, tables: StateTables, e: EventPayload, dirty: Dirty) -> None:
        body: dict[str, Any] | None = None
        if isinstance(
            e, VacancyOpenedV1 | VacancyUpdatedV1 | ProfilePublishedV1 | ProfileUpdatedV1
        ):
            body = e.model_dump(mode="json")
        if isinstance(e, TrainingOfferPublishedV1):
            body = e.model_dump(mode="json")
        side = [(_aggregate_id(e), e.version, body)]
        await tables.save_sides("vacancies", side if dirty.vacancies else [])
        await tables.save_sides("profiles", side if dirty.profiles else [])
        await tables.save_sides("offers", side if dirty.offers else [])
        await tables.save_rows(self.engine.state, sorted(dirty.rows))
        await tables.save_matches(self.engine.state, sorted(dirty.matches))

    async def _undo(self, dirty: Dirty) -> None:
        log.warning("event failed; restoring touched state from the tables")
        async with self._uow() as uow:
            await self.loader.undo(StateTables(uow.conn), dirty)


def _aggregate_id(e: EventPayload) -> UUID:
    return UUID(e.subject())
