"""Run a use case in one transaction, at most once per Idempotency-Key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg

from services.profiles.adapters.idempotency import Claim, StoredResponse
from services.profiles.domain.errors import IdempotencyConflictError
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork

UowFactory = Callable[[], ProfilesUnitOfWork]
Work = Callable[[ProfilesUnitOfWork], Awaitable[StoredResponse]]
_IDEMPOTENCY_PK = "idempotency_keys_pkey"


async def _replay(uow: ProfilesUnitOfWork, claim: Claim) -> StoredResponse | None:
    found = await uow.idempotency.get(claim)
    if found is None:
        return None
    request_hash, response = found
    if request_hash != claim.request_hash:
        raise IdempotencyConflictError(
            "this Idempotency-Key was already used for a different request"
        )
    return response


async def transact(
    uow_factory: UowFactory, work: Work, claim: Claim | None = None
) -> StoredResponse:
    """Run `work` and commit; with a claim, answer a repeated request from its record."""
    try:
        async with uow_factory() as uow:
            if claim is not None and (done := await _replay(uow, claim)) is not None:
                return done
            response = await work(uow)
            if claim is not None:
                await uow.idempotency.add(claim, response)
            await uow.commit()
            return response
    except asyncpg.UniqueViolationError as exc:
        # A concurrent request with the same key committed first: answer as it did.
        if claim is None or exc.constraint_name != _IDEMPOTENCY_PK:
            raise
    async with uow_factory() as uow:
        done = await _replay(uow, claim)
    assert done is not None, "the idempotency record that conflicted has vanished"
    return done
