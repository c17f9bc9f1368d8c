"""Run many creations in one transaction, each at most once per Idempotency-Key.

A batch is the bulk form of many POSTs: every item carries its own key and is
claimed exactly as the single POST with that key would be, so an item already
stored (by a batch or a single POST) is answered from its record instead of being
stored twice. An item the domain refuses is rolled back to its savepoint alone;
the others commit together with their outbox rows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import asyncpg

from services.profiles.adapters.idempotency import Claim, StoredResponse
from services.profiles.domain.errors import IdempotencyConflictError
from services.profiles.service_layer.transactions import UowFactory, Work
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork

_IDEMPOTENCY_PK = "idempotency_keys_pkey"
# What a single item may fail with without failing its batch: the domain's refusals
# (ValueError, LookupError, PermissionError) and text PostgreSQL cannot store.
ITEM_ERRORS = (
    ValueError,
    LookupError,
    PermissionError,
    asyncpg.CharacterNotInRepertoireError,
    asyncpg.UntranslatableCharacterError,
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one item ended: its stored answer (new or replayed) or the error refusing it."""

    response: StoredResponse | None = None
    error: Exception | None = None
    replayed: bool = False


ItemWork = tuple[Claim, Work]


async def run_batch(uow_factory: UowFactory, items: Sequence[ItemWork]) -> list[Outcome]:
    """Apply the items in order in one transaction; one outcome per item."""
    try:
        return await _attempt(uow_factory, items)
    except asyncpg.UniqueViolationError as exc:
        # A concurrent request stored one of the keys first: the retry replays it.
        if exc.constraint_name != _IDEMPOTENCY_PK:
            raise
    return await _attempt(uow_factory, items)


async def _attempt(uow_factory: UowFactory, items: Sequence[ItemWork]) -> list[Outcome]:
    async with uow_factory() as uow:
        if not items:
            return []
        organisation = items[0][0].organisation_id
        known = await uow.idempotency.get_many(organisation, [c.key for c, _ in items])
        fresh: list[tuple[Claim, StoredResponse]] = []
        outcomes = [await _one(uow, known, fresh, claim, work) for claim, work in items]
        # One statement for the batch's idempotency records, written with everything else.
        await uow.idempotency.add_many(fresh)
        await uow.commit()
        return outcomes


async def _one(
    uow: ProfilesUnitOfWork,
    known: dict[str, tuple[bytes, StoredResponse]],
    fresh: list[tuple[Claim, StoredResponse]],
    claim: Claim,
    work: Callable[[ProfilesUnitOfWork], Awaitable[StoredResponse]],
) -> Outcome:
    if (found := known.get(claim.key)) is not None:
        request_hash, response = found
        if request_hash != claim.request_hash:
            reused = "this Idempotency-Key was already used for a different request"
            return Outcome(error=IdempotencyConflictError(reused))
        return Outcome(response, replayed=True)
    try:
        async with uow.savepoint():
            response = await work(uow)
    except ITEM_ERRORS as exc:
        return Outcome(error=exc)
    fresh.append((claim, response))
    # The same key twice in one batch: the second is a retry of the first.
    known[claim.key] = (claim.request_hash, response)
    return Outcome(response)
