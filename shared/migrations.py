"""Forward-only SQL migrations per service schema, with checksums and an advisory lock.

Each service keeps numbered `NNNN_name.sql` files; each file runs in its own
transaction and is recorded with its SHA-256, so an edited migration that already
ran is refused instead of silently diverging. Replicas starting together serialise
on an advisory lock keyed by the schema name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from shared.db import Connection

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    """The database's migration history does not fit the code."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One migration file."""

    version: str
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """SHA-256 of the SQL text."""
        return hashlib.sha256(self.sql.encode()).hexdigest()


def load_migrations(sources: Mapping[str, Path]) -> list[Migration]:
    """The migration files of each named source directory, source by source, in order.

    Versions are namespaced by source (`outbox/0001`), so a service can combine
    shared building blocks such as the outbox with its own tables in one schema.
    """
    found = []
    for source, directory in sources.items():
        numbers: set[str] = set()
        for path in sorted(directory.glob("*.sql")):
            match = _NAME.match(path.name)
            if match is None:
                raise MigrationError(f"migration file name not NNNN_name.sql: {path.name}")
            if match.group(1) in numbers:
                raise MigrationError(f"duplicate migration number in {directory}: {path.name}")
            numbers.add(match.group(1))
            found.append(Migration(f"{source}/{match.group(1)}", path.name, path.read_text()))
    return found


async def _applied(conn: Connection, schema: str) -> dict[str, str]:
    # The schema name is checked against a strict identifier pattern in migrate().
    sql = f'SELECT version, checksum FROM "{schema}".schema_migrations'  # noqa: S608
    rows = await conn.fetch(sql)
    return {r["version"]: r["checksum"] for r in rows}


async def migrate(conn: Connection, *, schema: str, sources: Mapping[str, Path]) -> list[str]:
    """Apply pending migrations to `schema`; return the versions applied."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", schema):
        raise MigrationError(f"invalid schema name {schema!r}")
    migrations = load_migrations(sources)
    await conn.execute("SELECT pg_advisory_lock(hashtext($1))", f"migrate:{schema}")
    try:
        await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        await conn.execute(
            f'CREATE TABLE IF NOT EXISTS "{schema}".schema_migrations ('
            " version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        applied = await _applied(conn, schema)
        _check_history(applied, migrations)
        done = []
        for migration in migrations:
            if migration.version in applied:
                continue
            async with conn.transaction():
                await conn.execute(f'SET LOCAL search_path TO "{schema}"')
                await conn.execute(migration.sql)
                await conn.execute(
                    f'INSERT INTO "{schema}".schema_migrations (version, name, checksum)'  # noqa: S608
                    " VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
            done.append(migration.version)
        return done
    finally:
        await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", f"migrate:{schema}")


def _check_history(applied: dict[str, str], migrations: list[Migration]) -> None:
    known = {m.version: m for m in migrations}
    for version, checksum in applied.items():
        migration = known.get(version)
        if migration is None:
            raise MigrationError(f"database has migration {version} that the code lacks")
        if migration.checksum != checksum:
            raise MigrationError(f"migration {version} changed after it was applied")


async def pending(conn: Connection, *, schema: str, sources: Mapping[str, Path]) -> list[str]:
    """Names of migrations not yet applied (readiness refuses an out-of-date schema)."""
    exists = await conn.fetchval("SELECT to_regclass($1)", f'"{schema}".schema_migrations')
    applied = await _applied(conn, schema) if exists else {}
    return [m.version for m in load_migrations(sources) if m.version not in applied]
