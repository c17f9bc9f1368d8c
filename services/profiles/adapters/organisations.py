"""SQL for organisations and their API keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from shared.db import Connection
from shared.events import OrganisationKind

_INSERT_ORG = "INSERT INTO organisations (id, kind, name, region_ids) VALUES ($1, $2, $3, $4)"
_ORGS = "SELECT id, kind, name, region_ids FROM organisations ORDER BY created_at, id"
_ORG = "SELECT id, kind, name, region_ids FROM organisations WHERE id = $1"
_ORG_BY_NAME = "SELECT id, kind, name, region_ids FROM organisations WHERE name = $1 AND kind = $2"
_INSERT_KEY = "INSERT INTO api_keys (id, organisation_id, digest, prefix) VALUES ($1, $2, $3, $4)"
_REVOKE = """
UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL
RETURNING organisation_id
"""
_REVOKE_ALL = (
    "UPDATE api_keys SET revoked_at = now() WHERE organisation_id = $1 AND revoked_at IS NULL"
)
_KEYS = """
SELECT id, prefix, created_at, revoked_at FROM api_keys WHERE organisation_id = $1
ORDER BY created_at
"""
_BY_DIGEST = """
SELECT k.id AS key_id, o.id, o.kind, o.name, o.region_ids
FROM api_keys k JOIN organisations o ON o.id = k.organisation_id
WHERE k.digest = $1 AND k.revoked_at IS NULL
"""


@dataclass(frozen=True, slots=True)
class Organisation:
    """A tenant of the hub."""

    id: UUID
    kind: OrganisationKind
    name: str
    region_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """What is known of a key apart from the key itself."""

    id: UUID
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


def _organisation(row: asyncpg.Record) -> Organisation:
    return Organisation(
        row["id"], OrganisationKind(row["kind"]), row["name"], tuple(row["region_ids"])
    )


class OrganisationRepository:
    """Organisations and API keys."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, org: Organisation) -> None:
        """Store a new organisation."""
        await self._conn.execute(_INSERT_ORG, org.id, org.kind, org.name, list(org.region_ids))

    async def get(self, org_id: UUID) -> Organisation | None:
        """One organisation."""
        row = await self._conn.fetchrow(_ORG, org_id)
        return _organisation(row) if row else None

    async def find(self, name: str, kind: OrganisationKind) -> Organisation | None:
        """An organisation by name and kind."""
        row = await self._conn.fetchrow(_ORG_BY_NAME, name, kind)
        return _organisation(row) if row else None

    async def all(self) -> list[Organisation]:
        """Every organisation."""
        return [_organisation(row) for row in await self._conn.fetch(_ORGS)]

    async def add_key(self, key_id: UUID, org_id: UUID, digest: bytes, prefix: str) -> None:
        """Store a new key's digest."""
        await self._conn.execute(_INSERT_KEY, key_id, org_id, digest, prefix)

    async def revoke_key(self, key_id: UUID) -> UUID | None:
        """Revoke a key; the organisation it belonged to, or None if none was active."""
        owner: UUID | None = await self._conn.fetchval(_REVOKE, key_id)
        return owner

    async def revoke_all(self, org_id: UUID) -> None:
        """Revoke every active key of an organisation."""
        await self._conn.execute(_REVOKE_ALL, org_id)

    async def keys(self, org_id: UUID) -> list[KeyInfo]:
        """The keys of an organisation, revoked ones included."""
        rows = await self._conn.fetch(_KEYS, org_id)
        return [KeyInfo(r["id"], r["prefix"], r["created_at"], r["revoked_at"]) for r in rows]

    async def by_digest(self, digest: bytes) -> tuple[UUID, Organisation] | None:
        """The active key with this digest and its organisation."""
        row = await self._conn.fetchrow(_BY_DIGEST, digest)
        return (row["key_id"], _organisation(row)) if row else None
