"""A unit of work whose connection died reports the error that killed it, not the rollback's."""

from __future__ import annotations

from typing import Any, cast

import asyncpg
import pytest

from shared.settings import KafkaSettings
from shared.unit_of_work import UnitOfWork


class DeadTransaction:
    async def start(self) -> None:
        return None

    async def rollback(self) -> None:
        raise asyncpg.InterfaceError("cannot call Transaction.rollback(): connection is closed")


class DeadConnection:
    def transaction(self) -> DeadTransaction:
        return DeadTransaction()


class Pool:
    def __init__(self) -> None:
        self.released = 0

    async def acquire(self) -> DeadConnection:
        return DeadConnection()

    async def release(self, _: Any) -> None:
        self.released += 1


def _uow(pool: Pool) -> UnitOfWork:
    kafka = KafkaSettings(bootstrap_servers="x", topic_prefix="", client_id="c")
    return UnitOfWork(
        cast("asyncpg.Pool[asyncpg.Record]", pool), schema="s", kafka=kafka, source="t"
    )


async def test_the_first_error_is_kept_when_the_rollback_fails_on_a_dead_connection() -> None:
    pool = Pool()
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
