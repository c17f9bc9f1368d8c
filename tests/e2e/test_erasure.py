"""Erasure (GDPR art. 17) end to end: after DELETE and forced compaction, no copy remains.

The three services run in-process on a topic prefix and a database of their own. A
profile carrying two markers of its own (an `available_from` date and a `reference`)
is matched, notified, then erased; afterwards every schema, Redis and the compacted
topics are searched for the markers and for the profile id.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer, ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from pydantic import SecretStr
from redis.asyncio import Redis

from services.matching.entrypoints.app import create_app as create_matching
from services.notifications.config import NotificationsSettings
from services.notifications.entrypoints.app import create_app as create_notifications
from services.profiles.entrypoints.http.app import create_app as create_profiles
from shared.events import OrganisationKind
from shared.topics import MATCHES, PROFILES, by_name
from tests.apps import running
from tests.integration.matching.helpers import settings_for as matching_settings
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import make_tenant, settings_for
from tests.kafka_tools import read_all
from tests.receiver import Receiver, webhook_receiver
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
RETRACTED = "de.drehscheibe.match.retracted.v1"
PENDING = """
SELECT 1 FROM notifications.deliveries
WHERE status = 'pending' AND attempts >= 1 AND strpos(body::text, $1) > 0
"""
# Compact at once: roll segments fast, clean any dirt, keep tombstones for the search.
COMPACT_NOW = {
    "segment.ms": "100", "min.cleanable.dirty.ratio": "0.001", "min.compaction.lag.ms": "0",
    "max.compaction.lag.ms": "100", "delete.retention.ms": "3600000",
}  # fmt: skip


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with webhook_receiver() as hook:
        yield hook


def notifications(stack: StackUrls, db: str, prefix: str, url: str) -> NotificationsSettings:
    """The notification service with the test receiver as operator webhook, slow retries."""
    return NotificationsSettings.model_validate({
        "kafka_bootstrap_servers": stack.kafka, "kafka_topic_prefix": prefix,
        "database_url": db, "redis_url": stack.redis_url, "webhook_url": url,
        "webhook_secret": SecretStr("erasure-test"), "webhook_timeout_s": 2.0,
        "webhook_backoff_base_s": 60.0, "worker_poll_interval_s": 0.2,
    })  # fmt: skip


async def rows(db: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(db)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


async def rows_containing(db: str, needle: str) -> dict[str, list[str]]:
    """Every row of every table of the service schemas whose text contains `needle`
    (bytea columns, such as the outboxes' event values, read as text)."""
    columns = await rows(
        db, "SELECT c.table_schema || '.' || c.table_name AS t, c.column_name, c.data_type"
        " FROM information_schema.columns AS c JOIN information_schema.tables AS t"
        " USING (table_schema, table_name) WHERE t.table_type = 'BASE TABLE'"
        " AND c.table_schema IN ('profiles', 'matching', 'notifications')",
    )  # fmt: skip
    text: dict[str, str] = {}
    for table, column, kind in columns:
        text.setdefault(table, "x::text")
        if kind == "bytea":
            text[table] += f" || coalesce(encode(x.{column}, 'escape'), '')"
    found: dict[str, list[str]] = {}
    for table, expression in text.items():
        sql = f"SELECT {expression} AS r FROM {table} AS x WHERE strpos({expression}, $1) > 0"  # noqa: S608
        hits = [r["r"] for r in await rows(db, sql, needle)]
        if hits:
            found[table] = hits
    return found


async def redis_containing(url: str, needle: str) -> list[str]:
    """Redis keys whose name or string value contains `needle`."""
    client: Redis = Redis.from_url(url)
    try:
        hits = []
        async for key in client.scan_iter(count=1000):
            value = await client.get(key) if await client.type(key) == b"string" else b""
            if needle.encode() in key or needle.encode() in (value or b""):
                hits.append(key.decode(errors="replace"))
        return hits
    finally:
        await client.aclose()


async def force_compaction(bootstrap: str, topic: str, spec_name: str) -> None:
    """Make `topic` compact within seconds (configs replace the topic's whole set)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        configs = {**by_name(spec_name).config(), **COMPACT_NOW}
        await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs)])
    finally:
        await admin.close()


async def compacted(bootstrap: str, topic: str, keep: Any) -> list[ConsumerRecord]:
    """Roll the segments of `topic` with a filler tombstone per partition; its records once
    `keep` accepts them (the log cleaner runs every few seconds)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for partition in await producer.partitions_for(topic):
            filler = f"filler-{uuid.uuid4()}".encode()
            await producer.send_and_wait(topic, None, key=filler, partition=partition)
    finally:
        await producer.stop()
    records = await read_all(bootstrap, topic)
    return records if keep(records) else []


def marked_profile() -> tuple[dict[str, Any], list[str]]:
    """A job seeker with two values found nowhere else: the search markers."""
    available = date(2080, 1, 1) + timedelta(days=random.randrange(3650))
    reference = f"ERASE-{uuid.uuid4().hex[:12]}"
    body = bodies.profile(available_from=available.isoformat(), reference=reference)
    return body, [available.isoformat(), reference]


async def only_erasure_traces(db: str, profile_id: str) -> dict[str, list[str]]:
    """Where the profile id is left, minus the forms erasure leaves on purpose."""
    left = await rows_containing(db, profile_id)
    allowed: dict[str, Callable[[str], bool]] = {
        # the audit row: ids of the profile, its owner and the requester, and a time
        "profiles.erasures": lambda r: True,
        # the ErasedV1 event and the tombstone the relay published
        "profiles.outbox": lambda r: "profile.erased.v1" in r or f",{profile_id},,{{}}," in r,
        # pairs kept as retracted markers so that a late MatchFound cannot revive them
        "profiles.matches": lambda r: ",retracted," in r,
        # the matcher's version marker (body NULL) and its retracted pair records
        "matching.profiles": lambda r: re.fullmatch(rf"\({profile_id},\d+,,\d+\)", r) is not None,
        "matching.matches": lambda r: ",f," in r,
        # the retractions and tombstones of its pairs; earlier match events are deleted
        "matching.outbox": lambda r: RETRACTED in r or f":{profile_id},,{{}}," in r,
        # the notification service's marker: id and time, so a late match is not routed
        "notifications.erased_profiles": lambda r: (
            re.fullmatch(rf'\({profile_id},"[^"]+"\)', r) is not None
        ),
        # ledger rows of sent deliveries with the payload blanked, and retractions
        "notifications.deliveries": lambda r: '{"erased": true}' in r or RETRACTED in r,
    }
    unexpected = {t: [r for r in hits if not allowed.get(t, _never)(r)] for t, hits in left.items()}
    return {t: hits for t, hits in unexpected.items() if hits}


def _never(_: str) -> bool:
    return False


async def test_an_erased_profile_leaves_no_copy_behind(
    stack: StackUrls, own_database: str, topic_prefix: str, receiver: Receiver
) -> None:
    db, prefix, kafka = own_database, topic_prefix, stack.kafka
    async with (
        running(create_profiles(settings_for(stack, db, prefix))) as api,
        running(create_matching(matching_settings(kafka, stack.redis_url, db, prefix))),
        running(create_notifications(notifications(stack, db, prefix, receiver.url))),
    ):
        firm, agency = [
            await make_tenant(db, name, kind, [bodies.REGION])
            for name, kind in (("firm", OrganisationKind.FIRM), ("ba", OrganisationKind.AGENCY))
        ]
        body, markers = marked_profile()
        retry = {**agency.auth, "Idempotency-Key": f"erasure-{uuid.uuid4()}"}
        posted = await api.post("/v1/profiles", json=body, headers=retry)
        assert posted.status_code == 201, posted.text
        pid = posted.json()["id"]
        await api.post("/v1/vacancies", json=bodies.vacancy(), headers=firm.auth)
        await eventually(lambda: _true(receiver.received), timeout=60, what="first delivery")
        receiver.status_codes.extend([503] * 20)  # the next match stays pending
        await api.post("/v1/vacancies", json=bodies.vacancy(), headers=firm.auth)
        pending = PENDING
        await eventually(lambda: rows(db, pending, pid), timeout=60, what="a pending delivery")

        erased = await api.delete(f"/v1/profiles/{pid}", headers=agency.auth)
        assert erased.status_code == 204
        again = await api.post("/v1/profiles", json=body, headers=retry)
        assert again.status_code == 410  # the stored answer named the profile
        gone = "SELECT 1 FROM matching.profiles WHERE id = $1::uuid AND body IS NULL"
        await eventually(lambda: rows(db, gone, pid), timeout=60, what="matcher forgot it")
        both = "SELECT 1 FROM profiles.matches WHERE profile_id = $1::uuid AND body ? 'reason'"
        await eventually(
            lambda: _two(rows(db, both, pid)), timeout=60, what="both retractions projected"
        )
        await eventually(
            lambda: _none(rows(db, pending, pid)), timeout=60, what="pending delivery dropped"
        )

    profiles_topic, matches_topic = f"{prefix}{PROFILES}", f"{prefix}{MATCHES}"
    for topic, name in ((profiles_topic, PROFILES), (matches_topic, MATCHES)):
        await force_compaction(kafka, topic, name)

    def profile_compacted(records: list[ConsumerRecord]) -> bool:
        own = [r for r in records if r.key == pid.encode()]
        return bool(own) and all(r.value is None for r in own)

    def matches_compacted(records: list[ConsumerRecord]) -> bool:
        # Each of the two pairs: its events compacted away, only its tombstone left.
        own = [r for r in records if r.key and r.key.decode().endswith(f":{pid}")]
        return len({r.key for r in own}) == 2 and all(r.value is None for r in own)

    topics = [
        await eventually(lambda: compacted(kafka, profiles_topic, profile_compacted),
                         timeout=180, interval=2, what="hub.profiles.v1 compacted"),
        await eventually(lambda: compacted(kafka, matches_topic, matches_compacted),
                         timeout=180, interval=2, what="hub.matches.v1 compacted"),
    ]  # fmt: skip
    for marker in markers:
        assert await rows_containing(db, marker) == {}, marker
        assert await redis_containing(stack.redis_url, marker) == [], marker
        assert not [r for records in topics for r in records if marker.encode() in (r.value or b"")]
    assert await only_erasure_traces(db, pid) == {}
    assert await redis_containing(stack.redis_url, pid) == []


async def _true(value: Any) -> bool:
    return bool(value)


async def _two(query: Any) -> bool:
    return len(await query) == 2


async def _none(query: Any) -> bool:
    return not await query
