"""Use cases: apply a batch of input events under the writer lock, persist, emit what changed.

A batch is one transaction: the writer lock is taken once, the replica catches up
once, every event is applied in order, and the state and the match events of the
whole batch commit together. A per-event transaction cost more than the matching
itself. Every retraction is followed by a tombstone, so the compacted matches topic
keeps only live pairs; an erasure also deletes the profile's earlier match events
from the outbox (GDPR art. 17).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import structlog

from services.matching.adapters.state import LAST_SEQ, StateTables, forget_match_events
from services.matching.domain.engine import Emitted, Engine
from services.matching.domain.state import Dirty
from services.matching.service_layer.loading import Loader
from services.matching.service_layer.plans import Plan, plan
from services.matching.service_layer.translate import Translator
from services.matching.service_layer.unit_of_work import MatchingUnitOfWork
from shared.events import (
    EventPayload,
    InvalidEventError,
    MatchRetractedV1,
    ProfileErasedV1,
    match_key,
)
from shared.topics import MATCHES

UowFactory = Callable[[], MatchingUnitOfWork]
log = structlog.get_logger("matcher")


@dataclass
class Outcome:
    """What a batch did: events applied, stale ones ignored, match events emitted, rejects."""

    applied: int = 0
    ignored: int = 0
    emitted: int = 0
    rejected: list[tuple[int, InvalidEventError]] = field(default_factory=list)


@dataclass
class _Changes:
    """The batch's writes: each side's last event, the emitted events, erased profiles."""

    sides: dict[tuple[str, UUID], tuple[int, dict[str, Any] | None]] = field(default_factory=dict)
    emitted: Emitted = field(default_factory=list)
    causes: list[str | None] = field(default_factory=list)  # request id of each emitted event
    erased: list[UUID] = field(default_factory=list)


class Matcher:
    """The engine of this replica and the transaction around each batch of events."""

    def __init__(
        self, engine: Engine, translator: Translator, uow: UowFactory, *, page: int = 5000
    ) -> None:
        self.engine, self.translator, self._uow = engine, translator, uow
        self.loader = Loader(engine, Translator(translator.postcodes, None))
        self.seen, self.page = 0, page
        # Keys a failed batch changed in memory and the tables could not restore yet
        # (the database itself was away): restored before the next batch may apply.
        self._unrestored = Dirty()

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

    async def handle_batch(
        self, payloads: Sequence[EventPayload], request_ids: Sequence[str | None] = ()
    ) -> Outcome:
        """Apply events in order in one transaction; invalid ones are returned, not applied.

        `request_ids` (one per payload) go onto the match events each payload causes.
        """
        outcome, plans, causes = Outcome(), [], []
        for index, payload in enumerate(payloads):
            try:  # translation fails before any state changes
                plans.append(plan(self.engine, self.translator, payload))
                causes.append(request_ids[index] if request_ids else None)
            except InvalidEventError as exc:
                outcome.rejected.append((index, exc))
        if not plans:
            return outcome
        if self._unrestored and not await self._restore():
            raise StateNotRestoredError("the tables are unreachable; the batch will be retried")
        dirty = Dirty()
        try:
            async with self._uow() as uow:
                changes = await self._apply(
                    uow, list(zip(plans, causes, strict=True)), dirty, outcome
                )
                if outcome.applied:
                    await self._persist(uow, changes, dirty)
                    await uow.commit()
        except BaseException:
            _merge(self._unrestored, dirty)
            await self._restore()
            raise
        return outcome

    async def _apply(
        self,
        uow: MatchingUnitOfWork,
        plans: list[tuple[Plan, str | None]],
        dirty: Dirty,
        outcome: Outcome,
    ) -> _Changes:
        tables, changes = StateTables(uow.conn), _Changes()
        reached = await tables.lock()
        if reached > self.seen:
            await self.loader.since(tables, self.seen, page=self.page)
            self.seen = reached
        for p, cause in plans:
            emitted = p.step(dirty)
            if emitted is None:
                outcome.ignored += 1
                continue
            outcome.applied += 1
            outcome.emitted += len(emitted)
            changes.sides[(p.table, p.aggregate_id)] = (p.payload.version, p.body)
            changes.emitted.extend(emitted)
            changes.causes += [cause] * len(emitted)
            if isinstance(p.payload, ProfileErasedV1):
                changes.erased.append(p.aggregate_id)
        return changes

    async def _persist(self, uow: MatchingUnitOfWork, changes: _Changes, dirty: Dirty) -> None:
        tables, state = StateTables(uow.conn), self.engine.state
        for table in ("vacancies", "profiles", "offers"):
            sides = [(i, v, b) for (t, i), (v, b) in changes.sides.items() if t == table]
            await tables.save_sides(table, sides)
        await tables.save_rows(state, sorted(dirty.rows))
        await tables.save_matches(state, sorted(dirty.matches))
        # Before this batch's events are appended (at commit): they must stay.
        await forget_match_events(uow.conn, changes.erased)
        for (vid, pid, event), cause in zip(changes.emitted, changes.causes, strict=True):
            uow.emit(MATCHES, match_key(vid, pid), event, request_id=cause)
            if isinstance(event, MatchRetractedV1):
                uow.emit_tombstone(MATCHES, match_key(vid, pid))
        self.seen = await uow.conn.fetchval(LAST_SEQ)

    async def _restore(self) -> bool:
        """Reload what failed batches touched from the tables; False while that fails too."""
        if not self._unrestored:
            return True
        log.warning("batch failed; restoring touched state from the tables")
        try:
            async with self._uow() as uow:
                await self.loader.undo(StateTables(uow.conn), self._unrestored)
        except Exception:
            # Undo forgets, then reloads each key: repeating it all later is safe.
            log.exception("state not restored yet; retried before the next batch")
            return False
        self._unrestored = Dirty()
        return True


class StateNotRestoredError(RuntimeError):
    """The in-memory state still differs from the tables after a failed batch."""


def _merge(into: Dirty, more: Dirty) -> None:
    into.vacancies |= more.vacancies
    into.profiles |= more.profiles
    into.offers |= more.offers
    into.rows |= more.rows
    into.matches |= more.matches
