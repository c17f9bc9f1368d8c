"""A transaction that also collects the events to publish: state and outbox commit together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Self

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from asyncpg.transaction import Transaction

from shared.events import CloudEvent, EventPayload
from shared.outbox import OutboxMessage, append
from shared.settings import KafkaSettings
from shared.tracing import current_request_id


class UnitOfWork:
    """`async with uow:` opens a transaction; `commit()` writes the outbox and commits.

    Leaving the block without `commit()` (or with an exception) rolls everything
    back, events included, so nothing half-written stays behind.
    """

    def __init__(
        self,
        pool: asyncpg.Pool[asyncpg.Record],
        *,
        schema: str,
        kafka: KafkaSettings,
        source: str,
    ) -> None:
        self._pool, self._schema, self._kafka, self._source = pool, schema, kafka, source
        self._conn: PoolConnectionProxy[asyncpg.Record] | None = None
        self._tx: Transaction | None = None
        self._outbox: list[OutboxMessage] = []

    @property
    def conn(self) -> PoolConnectionProxy[asyncpg.Record]:
        """The connection of the open transaction."""
        assert self._conn is not None, "unit of work used outside `async with`"
        return self._conn

    async def __aenter__(self) -> Self:
        self._conn = await self._pool.acquire()
        try:
            self._tx = self._conn.transaction()
            await self._tx.start()
        except BaseException:
            # `__aexit__` does not run when entering fails: without this, a stop that
            # cancels the BEGIN would leave the connection out of the pool for good,
            # and closing the pool would wait for it without end.
            await self._pool.release(self._conn)
            self._conn, self._tx = None, None
            raise
        self._outbox = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._tx is not None:
                await self._rollback(failed=exc is not None)
        finally:
            await self._pool.release(self.conn)
            self._conn, self._tx = None, None

    async def _rollback(self, *, failed: bool) -> None:
        assert self._tx is not None
        try:
            await self._tx.rollback()
        except (
            asyncpg.InterfaceError,
            asyncpg.InternalClientError,  # a connection the server terminated mid-protocol
            asyncpg.PostgresConnectionError,
            OSError,
        ):
            # The connection died, usually with the error that brought us here: the
            # server rolled the transaction back itself, and that first error (say, a
            # lost connection, answered as 503) is the one to report, not this one.
            if not failed:
                raise

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested step: on an exception its writes and its queued events are undone."""
        queued = len(self._outbox)
        try:
            async with self.conn.transaction():
                yield
        except BaseException:
            del self._outbox[queued:]
            raise

    def emit(
        self, topic: str, key: str, payload: EventPayload, *, request_id: str | None = None
    ) -> CloudEvent:
        """Queue an event for the outbox; `topic` is a name from shared.topics.

        The event carries `request_id`, by default the request id being handled.
        """
        request_id = request_id or current_request_id()
        event = CloudEvent.wrap(payload, source=self._source, request_id=request_id)
        self._outbox.append(OutboxMessage.of_event(self._kafka.topic(topic), key, event))
        return event

    def emit_tombstone(self, topic: str, key: str) -> None:
        """Queue a tombstone for `key` (erasure on a compacted topic), after its event."""
        self._outbox.append(OutboxMessage.tombstone(self._kafka.topic(topic), key))

    async def commit(self) -> None:
        """Write the queued events and commit the transaction."""
        assert self._tx is not None, "unit of work used outside `async with`"
        await append(self.conn, self._outbox, schema=self._schema)
        await self._tx.commit()
        self._tx, self._outbox = None, []
