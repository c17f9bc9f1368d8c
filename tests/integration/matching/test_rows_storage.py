"""Rows as arrays: what a matcher wrote as JSON before is read the same after the upgrade,
and rows written now come back exactly as they were."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import asyncpg
import pytest

from services.matching.adapters.state import StateTables, row_of
from services.matching.bootstrap import MIGRATIONS
from services.matching.domain.state import Row, State
from services.matching.service_layer.unit_of_work import SCHEMA
from shared.migrations import migrate

pytestmark = pytest.mark.integration

OWN = MIGRATIONS[SCHEMA]


async def test_rows_stored_as_json_read_the_same_after_the_upgrade(
    own_database: str, tmp_path: Path
) -> None:
    before = tmp_path / "before"
    before.mkdir()
    for path in sorted(OWN.glob("*.sql")):
        if path.name < "0004":
            shutil.copy(path, before / path.name)
    conn = await asyncpg.connect(own_database)
    try:
        await migrate(conn, schema=SCHEMA, sources={**MIGRATIONS, SCHEMA: before})
        await conn.execute(f"SET search_path TO {SCHEMA}")
        open_row: list[tuple[float, str]] = [
            (0.9123, str(uuid.uuid4())),
            (0.9123, str(uuid.uuid4())),
            (0.5, str(uuid.uuid4())),
        ]
        open_id, closed_id, empty_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        insert = (
            "INSERT INTO rows (vacancy_id, entries, truncated) VALUES ($1, $2::text::jsonb, $3)"
        )
        await conn.execute(insert, open_id, json.dumps(open_row), True)
        await conn.execute(insert, closed_id, None, False)
        await conn.execute(insert, empty_id, "[]", False)

        await migrate(conn, schema=SCHEMA, sources=MIGRATIONS)

        rows = {r["vacancy_id"]: row_of(r) for r in await conn.fetch("SELECT * FROM rows")}
    finally:
        await conn.close()
    assert rows[open_id] == Row([(s, uuid.UUID(p)) for s, p in open_row], True)
    assert rows[closed_id] is None
    assert rows[empty_id] == Row([], False)


async def test_a_saved_row_comes_back_in_rank_order_with_its_exact_scores(
    own_database: str,
) -> None:
    conn = await asyncpg.connect(own_database)
    try:
        await migrate(conn, schema=SCHEMA, sources=MIGRATIONS)
        await conn.execute(f"SET search_path TO {SCHEMA}")
        state = State()
        kept, gone = uuid.uuid4(), uuid.uuid4()
        entries = [(0.8765, uuid.uuid4()), (0.8765, uuid.uuid4()), (0.1 + 0.2, uuid.uuid4())]
        state.set_row(kept, Row(entries, False))
        await StateTables(conn).save_rows(state, [kept, gone])
        rows = {r["vacancy_id"]: row_of(r) for r in await conn.fetch("SELECT * FROM rows")}
    finally:
        await conn.close()
    assert rows[kept] == Row(entries, False)
    assert rows[gone] is None
