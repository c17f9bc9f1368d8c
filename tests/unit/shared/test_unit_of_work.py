"""A unit of work whose connection died reports the error that killed it, not the rollback's."""

from __future__ import annotations

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
    def __init__(self, error: Exception) -> None:
        self.error = error

    async def start(self) -> None:
        return None

    async def rollback(self) -> None:
        raise self.error


class DeadConnection:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def transaction(self) -> DeadTransaction:
        return DeadTransaction(self.error)


class Pool:
    def __init__(self, error: Exception = CLOSED) -> None:
        self.released, self.error = 0, error

    async def acquire(self) -> DeadConnection:
        return DeadConnection(self.error)

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
