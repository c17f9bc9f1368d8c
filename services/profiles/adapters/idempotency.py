"""SQL for idempotency records: one per organisation and Idempotency-Key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from shared.db import Connection

_GET = """
SELECT request_hash, status, body, location FROM idempotency_keys
WHERE organisation_id = $1 AND key = $2
"""
_GET_MANY = """
SELECT key, request_hash, status, body, location FROM idempotency_keys
WHERE organisation_id = $1 AND key = ANY($2::text[])
"""
_INSERT = """
INSERT INTO idempotency_keys (organisation_id, key, request_hash, status, body, location)
VALUES ($1, $2, $3, $4, $5, $6)
"""


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """What a POST answered, kept to answer its retries the same way."""

    status: int
    body: dict[str, Any]
    location: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """An Idempotency-Key of one organisation and the hash of the request it came with."""

    organisation_id: UUID
    key: str
    request_hash: bytes


class IdempotencyRepository:
    """Idempotency records in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def get(self, claim: Claim) -> tuple[bytes, StoredResponse] | None:
        """The request hash and response stored under the claim's key, if any."""
        row = await self._conn.fetchrow(_GET, claim.organisation_id, claim.key)
        if row is None:
            return None
        return bytes(row["request_hash"]), StoredResponse(
            row["status"], row["body"], row["location"]
        )

    async def get_many(
        self, organisation_id: UUID, keys: list[str]
    ) -> dict[str, tuple[bytes, StoredResponse]]:
        """Request hash and response of each of the keys that is already stored."""
        rows = await self._conn.fetch(_GET_MANY, organisation_id, keys)
        return {
            row["key"]: (
                bytes(row["request_hash"]),
                StoredResponse(row["status"], row["body"], row["location"]),
            )
            for row in rows
        }

    async def add_many(self, records: list[tuple[Claim, StoredResponse]]) -> None:
        """Store several responses; UniqueViolationError when a key was taken meanwhile."""
        await self._conn.executemany(
            _INSERT,
            [
                (c.organisation_id, c.key, c.request_hash, r.status, r.body, r.location)
                for c, r in records
            ],
        )

    async def add(self, claim: Claim, response: StoredResponse) -> None:
        """Store the response; UniqueViolationError when the key was taken meanwhile."""
        await self._conn.execute(
            _INSERT, claim.organisation_id, claim.key, claim.request_hash,
            response.status, response.body, response.location,
        )  # fmt: skip
