"""SQL for the matcher's state: sides as their last event, rows, matches, change numbers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any
from uuid import UUID

from asyncpg import Record

from services.matching.domain.state import Row, State
from shared.db import Connection

# One writer at a time: a replica takes this lock, catches up with what others
# wrote, applies its event and commits; see docs/matching.md (scale-out).
LOCK = "SELECT pg_advisory_xact_lock(hashtext('matching.engine'))"
LAST_SEQ = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM change_seq"

_SIDE_UPSERT = """
INSERT INTO {table} (id, version, body, seq) VALUES ($1, $2, $3, nextval('change_seq'))
ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, body = EXCLUDED.body,
    seq = EXCLUDED.seq
"""
_ROW_UPSERT = """
INSERT INTO rows (vacancy_id, scores, profile_ids, truncated, seq)
VALUES ($1, $2, $3, $4, nextval('change_seq'))
ON CONFLICT (vacancy_id) DO UPDATE SET scores = EXCLUDED.scores,
    profile_ids = EXCLUDED.profile_ids, truncated = EXCLUDED.truncated, seq = EXCLUDED.seq
"""
_MATCH_UPSERT = """
INSERT INTO matches (vacancy_id, profile_id, version, fingerprint, active, seq)
VALUES ($1, $2, $3, $4, $5, nextval('change_seq'))
ON CONFLICT (vacancy_id, profile_id) DO UPDATE SET version = EXCLUDED.version,
    fingerprint = EXCLUDED.fingerprint, active = EXCLUDED.active, seq = EXCLUDED.seq
"""
_TABLES = {
    "vacancies": "id",
    "profiles": "id",
    "offers": "id",
    "rows": "vacancy_id",
    "matches": "vacancy_id",
}
# Bodies of the sides come as JSON text: pydantic parses and validates it in one step,
# about twice as fast as decoding to Python objects first (a restart reads millions).
_COLUMNS = {t: "id, version, seq, body::text AS body" for t in ("vacancies", "profiles", "offers")}
# Keyset pages in change order: memory stays bounded however large a table is.
_SINCE = {
    t: f"SELECT {_COLUMNS.get(t, '*')} FROM {t} WHERE seq > $1 ORDER BY seq LIMIT $2"  # noqa: S608
    for t in _TABLES
}
_BY_KEY = {
    t: f"SELECT {_COLUMNS.get(t, '*')} FROM {t} WHERE {k} = ANY($1::uuid[])"  # noqa: S608
    for t, k in _TABLES.items()
}
_MATCH_DELETE = "DELETE FROM matches WHERE vacancy_id = $1 AND profile_id = $2"


class StateTables:
    """The matcher's tables on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def lock(self) -> int:
        """Take the writer lock for this transaction; the change number reached so far."""
        await self._conn.execute(LOCK)
        seq: int = await self._conn.fetchval(LAST_SEQ)
        return seq

    async def changed_since(
        self, table: str, seq: int, *, page: int = 5000
    ) -> AsyncIterator[list[Record]]:
        """Rows of a table written after change number `seq`, oldest first, `page` at a time."""
        while True:
            records = await self._conn.fetch(_SINCE[table], seq, page)
            if not records:
                return
            yield records
            if len(records) < page:
                return
            seq = records[-1]["seq"]

    async def fetch(self, table: str, ids: Iterable[UUID]) -> list[Record]:
        """Rows of a table by key (to undo what a failed transaction did in memory)."""
        return await self._conn.fetch(_BY_KEY[table], list(ids))

    async def save_sides(self, table: str, sides: list[tuple[UUID, int, Any]]) -> None:
        """Write vacancies, profiles or offers: id, version, body (None once gone)."""
        if sides:
            await self._conn.executemany(_SIDE_UPSERT.format(table=table), sides)

    async def save_rows(self, state: State, ids: Iterable[UUID]) -> None:
        """Write the rows of these vacancies (NULL arrays when the vacancy is gone)."""
        args: list[tuple[UUID, list[float] | None, list[UUID] | None, bool]] = []
        for vid in ids:
            row = state.rows.get(vid)
            if row is None:
                args.append((vid, None, None, False))
            else:
                scores, profiles = [s for s, _ in row.entries], [p for _, p in row.entries]
                args.append((vid, scores, profiles, row.truncated))
        if args:
            await self._conn.executemany(_ROW_UPSERT, args)

    async def save_matches(self, state: State, pairs: Iterable[tuple[UUID, UUID]]) -> None:
        """Write or delete the records of these pairs."""
        upserts, deletes = [], []
        for vid, pid in pairs:
            rec = state.matches.get((vid, pid))
            if rec is None:
                deletes.append((vid, pid))
            else:
                upserts.append((vid, pid, rec.version, rec.fingerprint, rec.active))
        if upserts:
            await self._conn.executemany(_MATCH_UPSERT, upserts)
        if deletes:
            await self._conn.executemany(_MATCH_DELETE, deletes)


def row_of(record: Record) -> Row | None:
    """A stored row, or None for a closed vacancy."""
    profiles = record["profile_ids"]
    if profiles is None:
        return None
    return Row(list(zip(record["scores"], profiles, strict=True)), bool(record["truncated"]))


# The matcher's outbox holds match events only (keys `vacancy_id:profile_id`).
_FORGET_PROFILE = "DELETE FROM outbox WHERE split_part(key, ':', 2) = $1"


async def forget_match_events(conn: Connection, profile_ids: Iterable[UUID]) -> int:
    """Delete every earlier match event of these profiles from the outbox; how many rows."""
    deleted = 0
    for pid in profile_ids:
        status = await conn.execute(_FORGET_PROFILE, str(pid))
        deleted += int(status.rsplit(" ", 1)[-1])
    return deleted
