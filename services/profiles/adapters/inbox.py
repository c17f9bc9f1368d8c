"""SQL of the agency inbox: signing secrets, external-id mapping, applied event ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from shared.db import Connection

_ADD_SIGNER = "INSERT INTO inbox_secrets (id, organisation_id) VALUES ($1, $2)"
_REVOKE_SIGNER = """
UPDATE inbox_secrets SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL
RETURNING organisation_id
"""
_ACTIVE_SIGNERS = """
SELECT id FROM inbox_secrets WHERE organisation_id = $1 AND revoked_at IS NULL ORDER BY created_at
"""
_SIGNERS = """
SELECT id, created_at, revoked_at FROM inbox_secrets WHERE organisation_id = $1
ORDER BY created_at
"""
_MAPPING = """
SELECT aggregate_id, external_version FROM inbox_aggregates
WHERE organisation_id = $1 AND kind = $2 AND external_id = $3 FOR UPDATE
"""
_ADD_MAPPING = """
INSERT INTO inbox_aggregates (organisation_id, kind, external_id, aggregate_id, external_version)
VALUES ($1, $2, $3, $4, $5)
"""
_SET_VERSION = """
UPDATE inbox_aggregates SET external_version = $4
WHERE organisation_id = $1 AND kind = $2 AND external_id = $3
"""
_CLAIM_EVENT = """
INSERT INTO inbox_events (organisation_id, event_id) VALUES ($1, $2)
ON CONFLICT DO NOTHING RETURNING event_id
"""


@dataclass(frozen=True, slots=True)
class SecretInfo:
    """What is stored of an inbox secret: never the secret itself."""

    id: UUID
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class ExternalRef:
    """An aggregate as a producer names it: organisation, kind and external id."""

    organisation_id: UUID
    kind: str
    external_id: str


@dataclass(frozen=True, slots=True)
class Mapped:
    """The hub's id of an external aggregate and the producer's last version applied."""

    aggregate_id: UUID
    external_version: int


class InboxRepository:
    """Inbox tables in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add_secret(self, secret_id: UUID, org_id: UUID) -> None:
        """Record a new secret of an organisation."""
        await self._conn.execute(_ADD_SIGNER, secret_id, org_id)

    async def revoke_secret(self, secret_id: UUID) -> UUID | None:
        """Revoke a secret; its organisation, or None when no active secret has this id."""
        owner: UUID | None = await self._conn.fetchval(_REVOKE_SIGNER, secret_id)
        return owner

    async def active_secrets(self, org_id: UUID) -> list[UUID]:
        """Ids of the organisation's secrets that may sign."""
        return [row["id"] for row in await self._conn.fetch(_ACTIVE_SIGNERS, org_id)]

    async def secrets(self, org_id: UUID) -> list[SecretInfo]:
        """Every secret of an organisation, revoked ones included."""
        rows = await self._conn.fetch(_SIGNERS, org_id)
        return [SecretInfo(r["id"], r["created_at"], r["revoked_at"]) for r in rows]

    async def mapped(self, ref: ExternalRef) -> Mapped | None:
        """The hub's aggregate for an external id (row locked until commit)."""
        row = await self._conn.fetchrow(_MAPPING, ref.organisation_id, ref.kind, ref.external_id)
        return Mapped(row["aggregate_id"], row["external_version"]) if row else None

    async def map(self, ref: ExternalRef, aggregate_id: UUID, version: int) -> None:
        """Remember which hub aggregate an external id stands for."""
        await self._conn.execute(
            _ADD_MAPPING, ref.organisation_id, ref.kind, ref.external_id, aggregate_id, version
        )

    async def set_version(self, ref: ExternalRef, version: int) -> None:
        """Record the producer's version last applied."""
        await self._conn.execute(
            _SET_VERSION, ref.organisation_id, ref.kind, ref.external_id, version
        )

    async def claim_event(self, org_id: UUID, event_id: UUID) -> bool:
        """Record an event id; False when this producer's event was applied before."""
        return await self._conn.fetchval(_CLAIM_EVENT, org_id, event_id) is not None
