"""After a fault has settled: nothing acknowledged lost, matches as a fault-free run's,
every notification received, repeats only under the same delivery id."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from bench.chaos.expected import (
    REPLAY,
    as_pairs,
    expected_matches,
    latest,
    published_matches,
    replayed_matches,
)
from bench.hub.deliveries import Delivery
from bench.hub.kafka_state import read_all
from bench.hub.load import Ack
from bench.hub.setup import Namespace
from shared.events import MatchFoundV1
from shared.events.registry import EVENT_TYPES, decode
from shared.topics import MATCHES, PROFILES, STAFF_RELEASES, VACANCIES, qualified

FOUND = MatchFoundV1.event_type
SCHEMAS = ("profiles", "matching", "notifications")


@dataclass
class Verdict:
    """What the checks found; every count but `repeats` must be zero."""

    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)
    matches_differ: int = 0
    missing_notifications: int = 0
    unexpected_notifications: int = 0
    ids_per_notification: int = 0  # notifications that arrived under more than one delivery id
    bad_signatures: int = 0
    undelivered: int = 0  # ledger rows not delivered
    repeats: int = 0  # deliveries received again under the same id (allowed: at least once)
    details: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was lost, missed, mismatched or doubly identified."""
        return not (self.lost or self.matches_differ or self.missing_notifications
                    or self.unexpected_notifications or self.ids_per_notification
                    or self.bad_signatures or self.undelivered)  # fmt: skip


async def _stored(conn: asyncpg.Connection[Any], table: str, ids: list[str]) -> set[str]:
    rows = await conn.fetch(
        f"SELECT id::text FROM profiles.{table} WHERE id = ANY($1::uuid[])",  # noqa: S608
        ids,
    )
    return {r[0] for r in rows}


async def writes(
    ns: Namespace, acks: list[Ack], conn: asyncpg.Connection[Any], v: Verdict
) -> dict[str, Any]:
    """Every acknowledged vacancy, staff release and person in PostgreSQL and on Kafka."""
    wanted = {"vacancies": [], "staff_releases": [], "profiles": []}  # type: dict[str, list[str]]
    for a in acks:
        if a.kind == "vacancy":
            wanted["vacancies"] += list(a.ids)
        else:
            wanted["staff_releases"].append(a.aggregate_id or "")
            wanted["profiles"] += list(a.ids)
    topics = {"vacancies": VACANCIES, "staff_releases": STAFF_RELEASES, "profiles": PROFILES}
    inputs = {}
    for table, ids in wanted.items():
        records = await read_all(ns.kafka, qualified(topics[table], ns.prefix))
        inputs[table] = latest(records)
        in_db = await _stored(conn, table, ids)
        v.lost += [f"{table} {i}: not in PostgreSQL" for i in ids if i not in in_db]
        v.lost += [f"{table} {i}: not on Kafka" for i in ids if i not in inputs[table]]
    v.acknowledged = len(acks)
    return inputs


async def matches(
    ns: Namespace, inputs: dict[str, Any], conn: asyncpg.Connection[Any], v: Verdict
) -> list[Any]:
    """The matcher's table and the matches topic both equal the in-process reference."""
    expected = expected_matches(inputs["vacancies"], inputs["profiles"])
    stored = as_pairs(
        await conn.fetch("SELECT vacancy_id, profile_id FROM matching.matches WHERE active")
    )
    records = await read_all(ns.kafka, qualified(MATCHES, ns.prefix))
    published = published_matches(records)
    differ = set(expected) ^ stored
    differ |= {
        pair for pair in set(expected) | set(published) if expected.get(pair) != published.get(pair)
    }
    v.matches_differ = len(differ)
    if differ:
        replayed = replayed_matches((r[0], r[1]) for r in await conn.fetch(REPLAY))
        v.details.append(
            f"the engine applying the inputs in the service's own order gives "
            f"{'the service' if set(replayed) == stored else 'neither'}'s result "
            f"({len(set(replayed) ^ set(expected))} pairs differ from the order-free reference)"
        )
    v.details += [f"match {pair} expected {expected.get(pair)}, published {published.get(pair)}, "
                  f"stored {pair in stored}" for pair in sorted(differ)[:5]]  # fmt: skip
    return records


def notifications(records: list[Any], seen: list[Delivery], v: Verdict) -> None:
    """Every match found reached the receiver, each under exactly one delivery id."""
    found = set()
    for r in records:
        if r.value is not None:
            _, event = decode(r.value, EVENT_TYPES)
            if isinstance(event, MatchFoundV1):
                found.add((str(event.vacancy_id), str(event.profile_id), event.version))
    ids: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for d in seen:
        v.bad_signatures += not d.ok
        if d.ok and d.event_type == FOUND:
            ids[(d.vacancy_id, d.profile_id, d.version)].add(d.delivery_id)
    v.missing_notifications = len(found - set(ids))
    v.unexpected_notifications = len(set(ids) - found)
    v.ids_per_notification = sum(len(x) > 1 for x in ids.values())
    v.repeats = sum(d.ok for d in seen) - len({d.delivery_id for d in seen if d.ok})


async def verify(ns: Namespace, acks: list[Ack], seen: list[Delivery]) -> Verdict:
    """Run every check against the settled system."""
    v = Verdict()
    conn = await asyncpg.connect(ns.database_url)
    try:
        inputs = await writes(ns, acks, conn, v)
        records = await matches(ns, inputs, conn, v)
        notifications(records, seen, v)
        v.undelivered = await conn.fetchval(
            "SELECT count(*) FROM notifications.deliveries WHERE status <> 'delivered'"
        )
    finally:
        await conn.close()
    return v


async def settled(conn: asyncpg.Connection[Any], lag: dict[str, int], received: int) -> bool:
    """No consumer lag, no unsent outbox row, no pending delivery, every delivery received."""
    if not lag or any(lag.values()):
        return False
    for schema in SCHEMAS:
        if await conn.fetchval(f"SELECT count(*) FROM {schema}.outbox WHERE sent_at IS NULL"):  # noqa: S608
            return False
    pending = await conn.fetchval(
        "SELECT count(*) FROM notifications.deliveries WHERE status = 'pending'"
    )
    delivered = await conn.fetchval(
        "SELECT count(*) FROM notifications.deliveries WHERE status = 'delivered'"
    )
    return bool(pending == 0 and delivered <= received)
