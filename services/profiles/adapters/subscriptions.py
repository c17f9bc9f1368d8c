"""SQL for subscriptions (the signing secret in a column of its own)."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.profiles.adapters.sql import Where, within_reach
from services.profiles.domain.access import Principal
from services.profiles.domain.permissions import Reach
from services.profiles.domain.queries import ListFilter
from services.profiles.domain.subscription import (
    Subscription,
    SubscriptionStatus,
    SubscriptionTerms,
)
from shared.db import Connection
from shared.events import SubscriptionCreatedV1

_INSERT = """
INSERT INTO subscriptions (id, version, organisation_id, status, signing_secret, body)
VALUES ($1, $2, $3, $4, $5, $6)
"""
_UPDATE = """
UPDATE subscriptions SET version = $2, status = $3, body = $4, updated_at = now() WHERE id = $1
"""
_COLUMNS = "seq, id, version, organisation_id, status, signing_secret, body"
_TERMS = (
    "channel", "event_kinds", "webhook_url", "email", "digest", "regions", "district_codes",
    "occupations", "min_score",
)  # fmt: skip


def _body(subscription: Subscription) -> dict[str, object]:
    # The secret lives in its own column only, never in the JSON body.
    return subscription.created().model_dump(mode="json", exclude={"signing_secret"})


def _subscription(row: asyncpg.Record) -> Subscription:
    state = SubscriptionCreatedV1.model_validate(row["body"])
    fields = state.model_dump(include=set(_TERMS))
    for name in ("event_kinds", "regions", "district_codes", "occupations"):
        fields[name] = tuple(fields[name])
    return Subscription(
        id=row["id"],
        version=row["version"],
        organisation_id=row["organisation_id"],
        organisation_kind=state.organisation_kind,
        status=SubscriptionStatus(row["status"]),
        terms=SubscriptionTerms(**fields),
        signing_secret=row["signing_secret"],
    )


class SubscriptionRepository:
    """Subscriptions in the profiles schema."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, subscription: Subscription) -> None:
        """Store a new subscription."""
        s = subscription
        await self._conn.execute(
            _INSERT, s.id, s.version, s.organisation_id, s.status, s.signing_secret, _body(s)
        )

    async def save(self, subscription: Subscription) -> None:
        """Store a changed subscription."""
        s = subscription
        await self._conn.execute(_UPDATE, s.id, s.version, s.status, _body(s))

    async def get(
        self, id_: UUID, principal: Principal, reach: Reach, *, for_update: bool = False
    ) -> Subscription | None:
        """The subscription if `principal` reaches it."""
        where = Where()
        where.add(f"id = {where.param(id_)}")
        within_reach(where, principal, reach, shared="FALSE")
        lock = " FOR UPDATE" if for_update else ""
        sql = f"SELECT {_COLUMNS} FROM subscriptions WHERE {where.sql()}{lock}"  # noqa: S608
        row = await self._conn.fetchrow(sql, *where.params)
        return _subscription(row) if row else None

    async def list(
        self, principal: Principal, reach: Reach, filters: ListFilter
    ) -> list[tuple[int, Subscription]]:
        """One page of reachable subscriptions in creation order, with their positions."""
        where = within_reach(Where(), principal, reach, shared="FALSE")
        where.add(f"seq > {where.param(filters.after)}")
        if filters.status is not None:
            where.add(f"status = {where.param(filters.status)}")
        sql = (
            f"SELECT {_COLUMNS} FROM subscriptions WHERE {where.sql()}"  # noqa: S608
            f" ORDER BY seq LIMIT {where.param(filters.limit)}"
        )
        rows = await self._conn.fetch(sql, *where.params)
        return [(row["seq"], _subscription(row)) for row in rows]
