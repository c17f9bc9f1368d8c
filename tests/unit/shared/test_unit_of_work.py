"""A unit of work returns its connection whatever happens, and reports the first error.

A connection died: the error that killed it is reported, not the rollback's. The
transaction could not begin (a stop cancelled it, the connection broke): the
connection still goes back to the pool, or closing the pool would wait for it forever.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

import asyncpg
import pytest

from shared.settings import KafkaSettings
from shared.unit_of_work import UnitOfWork

CLOSED = asyncpg.InterfaceError("cannot call Transaction.rollback(): connection is closed")
# A connection the server terminated while the client still waited for it.
MID_PROTOCOL = asyncpg.InternalClientError(
    "cannot switch to state 15; another operation (2) is in progress"
)


class DeadTransaction:
    def __init__(self, error: Exception, start_error: BaseException | None = None) -> None:
        self.error, self.start_error = error, start_error

    async def start(self) -> None:
        if self.start_error is not None:
            raise self.start_error

    async def rollback(self) -> None:
        raise self.error


class DeadConnection:
    def __init__(self, error: Exception, start_error: BaseException | None = None) -> None:
        self.error, self.start_error = error, start_error

    def transaction(self) -> DeadTransaction:
        return DeadTransaction(self.error, self.start_error)


class Pool:
    def __init__(self, error: Exception = CLOSED, start_error: BaseException | None = None) -> None:
        self.released, self.error, self.start_error = 0, error, start_error

    async def acquire(self) -> DeadConnection:
        return DeadConnection(self.error, self.start_error)

    async def release(self, _: Any) -> None:
        self.released += 1


def _uow(pool: Pool) -> UnitOfWork:
    kafka = KafkaSettings(bootstrap_servers="x", topic_prefix="", client_id="c")
    return UnitOfWork(
        cast("asyncpg.Pool[asyncpg.Record]", pool), schema="s", kafka=kafka, source="t"
    )


@pytest.mark.parametrize("dead", [CLOSED, MID_PROTOCOL], ids=["closed", "mid-protocol"])
async def test_the_first_error_is_kept_when_the_rollback_fails_on_a_dead_connection(
    dead: Exception,
) -> None:
    pool = Pool(dead)
    with pytest.raises(ConnectionResetError):
        async with _uow(pool):
            raise ConnectionResetError("connection lost")
    assert pool.released == 1


async def test_a_failing_rollback_without_an_earlier_error_is_not_hidden() -> None:
    pool = Pool()
    with pytest.raises(asyncpg.InterfaceError):
        async with _uow(pool):
            pass  # left without commit: rolled back, and that fails
    assert pool.released == 1


@pytest.mark.parametrize(
    "error", [asyncio.CancelledError(), CLOSED], ids=["cancelled", "connection-closed"]
)
async def test_the_connection_goes_back_when_the_transaction_cannot_begin(
    error: BaseException,
) -> None:
    pool = Pool(start_error=error)
    with pytest.raises(type(error)):
        async with _uow(pool):
            pytest.fail("the body must not run without a transaction")
    assert pool.released == 1
