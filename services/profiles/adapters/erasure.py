"""SQL that removes every copy of an erased profile the profiles schema still holds.

The profile row itself goes in `ProfileRepository.erase`; what remains are copies:
events already in the outbox, stored answers to idempotent POSTs, and the match
read model. Only the erasure audit row keeps the profile id, with no personal data.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shared.db import Connection
from shared.topics import PROFILES

# A retry of a POST whose answer named the profile gets this instead of the data.
GONE: dict[str, Any] = {
    "type": "about:blank",
    "title": "Gone",
    "status": 410,
    "detail": "The response stored for this Idempotency-Key named an erased profile.",
}
_REDACT_ANSWERS = """
UPDATE idempotency_keys SET status = 410, body = $2, location = NULL
WHERE strpos(body::text, $1) > 0
"""
# Earlier events of the profile (sent or not): the erasure event and the tombstone
# are written after this, in the same transaction.
_DROP_EVENTS = "DELETE FROM outbox WHERE key = $1 AND (topic = $2 OR topic LIKE '%.' || $2)"
# Pairs stay as retracted markers (their version keeps a late MatchFound out);
# the score, explanation and home district go.
_RETRACT_MATCHES = """
UPDATE matches SET status = 'retracted', score = NULL, profile_district_code = NULL,
       body = '{"erased": true}'::jsonb, updated_at = now()
WHERE profile_id = $1
"""


class ErasureRepository:
    """Copies of a profile in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def purge(self, profile_id: UUID) -> None:
        """Redact stored answers, drop queued or sent events, strip the match read model."""
        await self._conn.execute(_REDACT_ANSWERS, str(profile_id), GONE)
        await self._conn.execute(_DROP_EVENTS, str(profile_id), PROFILES)
        await self._conn.execute(_RETRACT_MATCHES, profile_id)
