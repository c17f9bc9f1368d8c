"""Subscriptions as event-carried state, and the routing queries over them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from services.notifications.domain.routing import Recipient
from shared.db import Connection
from shared.events import BulletinPublishedV1, SubscriptionCreatedV1, SubscriptionUpdatedV1

SubscriptionState = SubscriptionCreatedV1 | SubscriptionUpdatedV1

_UPSERT = """
INSERT INTO subscriptions AS s (subscription_id, version, organisation_id, organisation_kind,
    channel, webhook_url, signing_secret, email, digest, district_codes, occupations,
    min_score, event_kinds, status, status_reason)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
ON CONFLICT (subscription_id) DO UPDATE SET
    version = EXCLUDED.version, organisation_id = EXCLUDED.organisation_id,
    organisation_kind = EXCLUDED.organisation_kind, channel = EXCLUDED.channel,
    webhook_url = EXCLUDED.webhook_url, signing_secret = EXCLUDED.signing_secret,
    email = EXCLUDED.email, digest = EXCLUDED.digest,
    district_codes = EXCLUDED.district_codes, occupations = EXCLUDED.occupations,
    min_score = EXCLUDED.min_score, event_kinds = EXCLUDED.event_kinds,
    status = EXCLUDED.status, status_reason = EXCLUDED.status_reason, updated_at = now()
WHERE s.version < EXCLUDED.version
"""
_END = """
UPDATE subscriptions SET version = $2, status = $3, status_reason = $4, updated_at = now()
WHERE subscription_id = $1 AND version < $2 AND status <> $3
"""
_DISABLE = """
UPDATE subscriptions SET status = 'disabled', status_reason = $2, updated_at = now()
WHERE subscription_id = $1 AND status = 'active'
"""
_TARGET = "subscription_id, channel, webhook_url, email, digest"
_S_TARGET = "s.subscription_id, s.channel, s.webhook_url, s.email, s.digest"
# Routing share-locks the subscriptions it routes to until its transaction commits:
# a concurrent disable (after a 410) or cancel then waits, and parks the pending
# rows this transaction inserted instead of missing them.
# A match reaches the subscriptions of the organisations that posted either side,
# whatever their regions, and hub subscriptions whose districts hold either side;
# the kind, occupation and score filters apply to both.
# One statement for a whole batch: row i of the arrays is the i-th match, and each
# subscription comes back with the index of every match it is a target of.
MATCH_TARGETS = f"""
SELECT m.i, {_S_TARGET}
FROM unnest($1::int[], $2::text[], $3::text[], $4::float8[], $5::uuid[], $6::uuid[],
            $7::text[], $8::text[])
    AS m(i, kind, occupation, score, owner_a, owner_b, district_a, district_b)
JOIN subscriptions AS s
  ON s.status = 'active' AND m.kind = ANY(s.event_kinds)
  AND (cardinality(s.occupations) = 0 OR m.occupation = ANY(s.occupations))
  AND s.min_score <= m.score
  AND (s.organisation_id IN (m.owner_a, m.owner_b)
       OR (s.organisation_kind = 'hub'
           AND (cardinality(s.district_codes) = 0
                OR s.district_codes && array_remove(ARRAY[m.district_a, m.district_b], NULL))))
ORDER BY m.i
FOR SHARE OF s
"""  # noqa: S608 -- a constant column list
# A retraction has no score: it goes to every subscription that was told of the
# pair before, and to the posting organisations.
RETRACTION_TARGETS = f"""
SELECT {_TARGET} FROM subscriptions AS s
WHERE status = 'active' AND 'match.retracted' = ANY(event_kinds)
  AND (organisation_id = ANY($2::uuid[])
       OR EXISTS (SELECT 1 FROM deliveries AS d
                  WHERE d.pair_key = $1 AND d.subscription_id = s.subscription_id))
FOR SHARE OF s
"""  # noqa: S608
BULLETIN_TARGETS = f"""
SELECT {_TARGET} FROM subscriptions
WHERE status = 'active' AND 'bulletin' = ANY(event_kinds)
  AND (cardinality($1::text[]) = 0 OR organisation_kind = ANY($1::text[]))
  AND (cardinality(district_codes) = 0 OR cardinality($2::text[]) = 0
       OR district_codes && $2::text[])
  AND (cardinality(occupations) = 0 OR cardinality($3::text[]) = 0
       OR occupations && $3::text[])
FOR SHARE
"""  # noqa: S608


def _target(row: asyncpg.Record) -> Recipient:
    return Recipient(
        subscription_id=row["subscription_id"], channel=row["channel"],
        webhook_url=row["webhook_url"], email=row["email"], digest=row["digest"],
    )  # fmt: skip


def _targets(rows: list[asyncpg.Record]) -> list[Recipient]:
    return [_target(row) for row in rows]


@dataclass(frozen=True, slots=True)
class MatchTargetQuery:
    """What decides who a match found or updated goes to."""

    kind: str
    occupation: str | None
    score: float
    owners: list[UUID]  # at most two: the organisations that posted either side
    districts: list[str]  # at most two: the workplace's and the person's


class SubscriptionRepository:
    """Subscriptions through the caller's connection (and transaction)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def save(self, state: SubscriptionState, *, status: str, reason: str | None) -> bool:
        """Store the subscription's state unless a newer version is stored; True if stored."""
        result = await self._conn.execute(
            _UPSERT,
            state.subscription_id,
            state.version,
            state.organisation_id,
            state.organisation_kind.value,
            state.channel.value,
            state.webhook_url,
            state.signing_secret,
            state.email,
            state.digest,
            list(state.district_codes),
            list(state.occupations),
            state.min_score,
            [kind.value for kind in state.event_kinds],
            status,
            reason,
        )
        return bool(result == "INSERT 0 1")

    async def end(self, subscription_id: UUID, *, version: int, status: str, reason: str) -> bool:
        """Mark a subscription cancelled (or similar) unless a newer version is stored."""
        result = await self._conn.execute(_END, subscription_id, version, status, reason)
        return bool(result == "UPDATE 1")

    async def disable(self, subscription_id: UUID, *, reason: str) -> bool:
        """Stop delivering to an active subscription (its receiver said 410 Gone)."""
        return bool(await self._conn.execute(_DISABLE, subscription_id, reason) == "UPDATE 1")

    async def match_targets(self, matches: Sequence[MatchTargetQuery]) -> list[list[Recipient]]:
        """For each match found or updated, the subscriptions it goes to (one round trip)."""
        columns: list[list[Any]] = [[] for _ in range(8)]
        for i, m in enumerate(matches):
            owner_a, owner_b = (*m.owners, None, None)[:2]
            district_a, district_b = (*m.districts, None, None)[:2]
            values = (i, m.kind, m.occupation, m.score, owner_a, owner_b, district_a, district_b)
            for column, value in zip(columns, values, strict=True):
                column.append(value)
        found: list[list[Recipient]] = [[] for _ in matches]
        if matches:
            for row in await self._conn.fetch(MATCH_TARGETS, *columns):
                found[row["i"]].append(_target(row))
        return found

    async def retraction_targets(self, *, pair_key: str, owners: list[UUID]) -> list[Recipient]:
        """Subscriptions a retraction goes to."""
        return _targets(await self._conn.fetch(RETRACTION_TARGETS, pair_key, owners))

    async def bulletin_targets(self, bulletin: BulletinPublishedV1) -> list[Recipient]:
        """Subscriptions a bulletin goes to (validity is the caller's concern)."""
        rows = await self._conn.fetch(
            BULLETIN_TARGETS,
            [kind.value for kind in bulletin.target_organisation_kinds],
            list(bulletin.target_district_codes),
            list(bulletin.target_occupations),
        )
        return _targets(rows)
