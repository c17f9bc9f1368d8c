"""The erased profiles (ids only) and the lock that orders erasure against routing."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from shared.db import Connection

# Routing holds this lock shared, an erasure exclusively: an erasure waits for the
# routing transactions in flight (so it sees and deletes their pending deliveries),
# and routing that starts after it sees the erased id. Routers never block each other.
_LOCK_KEY = "hashtext('notifications.erasure')"
_ROUTING_LOCK = f"SELECT pg_advisory_xact_lock_shared({_LOCK_KEY})"
_ERASURE_LOCK = f"SELECT pg_advisory_xact_lock({_LOCK_KEY})"
_REMEMBER = "INSERT INTO erased_profiles (profile_id) VALUES ($1) ON CONFLICT DO NOTHING"
_AMONG = "SELECT profile_id FROM erased_profiles WHERE profile_id = ANY($1::uuid[])"


class ErasedProfiles:
    """Erased profile ids on one transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def lock_for_routing(self) -> None:
        """Routing: wait for an erasure in progress; erasures then wait for this transaction."""
        await self._conn.execute(_ROUTING_LOCK)

    async def lock_for_erasure(self) -> None:
        """Erasure: wait until no routing transaction is in flight."""
        await self._conn.execute(_ERASURE_LOCK)

    async def remember(self, profile_id: UUID) -> None:
        """Record that a profile was erased."""
        await self._conn.execute(_REMEMBER, profile_id)

    async def among(self, profile_ids: Iterable[UUID]) -> set[UUID]:
        """Which of these profiles were erased."""
        ids = list(set(profile_ids))
        if not ids:
            return set()
        return {r["profile_id"] for r in await self._conn.fetch(_AMONG, ids)}
