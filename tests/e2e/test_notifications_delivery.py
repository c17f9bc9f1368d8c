"""The notification service as a separate OS process against real local receivers.

Each test starts `python -m services.notifications` the way `make run` does, in a
database of its own, and drives it only through Kafka and HTTP.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from faststream.kafka import KafkaBroker

from deploy.hub import launcher
from services.notifications.config import NotificationsSettings
from shared.kafka import create_broker
from shared.settings import KafkaSettings
from tests.integration.notifications.helpers import match_found, send, subscription
from tests.integration.notifications.receiver import Receiver, receiving
from tests.receiver import free_port
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
Start = Callable[[], launcher.ServiceProcess]


@pytest.fixture
def service(
    stack: StackUrls, own_database: str, topic_prefix: str
) -> Iterator[Callable[..., launcher.ServiceProcess]]:
    """Starts the service (again, on the same settings) and stops whatever is left at the end."""
    started: list[launcher.ServiceProcess] = []
    port = free_port()

    def start(**extra: str) -> launcher.ServiceProcess:
        env = {
            **stack.env(),
            "DATABASE_URL": own_database,
            "KAFKA_TOPIC_PREFIX": topic_prefix,
            "LOG_FORMAT": "json",
            "NOTIFICATIONS_ALLOW_INSECURE_LOCALHOST": "true",
            "NOTIFICATIONS_WEBHOOK_TIMEOUT_S": "1",
            "NOTIFICATIONS_WEBHOOK_BACKOFF_BASE_S": "0.1",
            "NOTIFICATIONS_WEBHOOK_BACKOFF_CAP_S": "0.5",
            "NOTIFICATIONS_WEBHOOK_MAX_ATTEMPTS": "50",
            "NOTIFICATIONS_BREAKER_COOLDOWN_S": "0.5",
            "NOTIFICATIONS_WORKER_POLL_INTERVAL_S": "0.2",
            **extra,
        }
        proc = launcher.start("notifications", port=port, env=env, cwd=REPO)
        started.append(proc)
        launcher.wait_ready([proc])
        return proc

    yield start
    for proc in started:
        launcher.stop(proc)


@pytest.fixture
async def publisher(stack: StackUrls, topic_prefix: str) -> AsyncIterator[KafkaBroker]:
    """Publishes test records into this test's topics."""
    broker = create_broker(
        KafkaSettings(bootstrap_servers=stack.kafka, topic_prefix=topic_prefix, client_id="e2e")
    )
    await broker.connect()
    try:
        yield broker
    finally:
        await broker.stop()


@contextmanager
def _noop() -> Iterator[None]:
    yield


async def _subscribe(publisher: KafkaBroker, prefix: str, database_url: str, url: str) -> uuid.UUID:
    event = await send(publisher, prefix, subscription(url))
    sid = uuid.UUID(event.data["subscription_id"])
    conn = await asyncpg.connect(database_url)
    try:

        async def active() -> bool:
            status = await conn.fetchval(
                "SELECT status FROM notifications.subscriptions WHERE subscription_id = $1", sid
            )
            return bool(status == "active")

        await eventually(active, timeout=30, what="the subscription to be stored")
    finally:
        await conn.close()
    return sid


async def _ledger(database_url: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database_url)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def _count(receiver: Receiver, n: int) -> bool:
    return len(set(receiver.acknowledged())) >= n


async def test_receiver_down_then_up_gets_everything_once(
    service: Callable[..., launcher.ServiceProcess],
    publisher: KafkaBroker,
    topic_prefix: str,
    own_database: str,
) -> None:
    await asyncio.to_thread(service)
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks/matches"
    await _subscribe(publisher, topic_prefix, own_database, url)
    for _ in range(20):
        await send(publisher, topic_prefix, match_found())

    async def attempted_while_down() -> bool:
        rows = await _ledger(
            own_database, "SELECT 1 FROM notifications.deliveries WHERE attempts > 0"
        )
        return len(rows) >= 20

    await eventually(attempted_while_down, timeout=30, what="attempts against the dead receiver")
    # Up again, but failing the first attempts with 500s before it recovers.
    async with receiving(statuses=[500, 500, 500], port=port) as hub:
        await eventually(lambda: _count(hub, 20), timeout=60, what="every delivery")
        rows = await _ledger(
            own_database, "SELECT delivery_id, status FROM notifications.deliveries"
        )

    acknowledged = hub.acknowledged()
    assert len(acknowledged) == len(set(acknowledged)) == 20
    assert {str(r["delivery_id"]) for r in rows} == set(acknowledged)
    assert [h.status for h in hub.requests[:3]] == [500, 500, 500]


async def test_slow_receiver_times_out_without_stalling_and_410_disables(
    service: Callable[..., launcher.ServiceProcess],
    publisher: KafkaBroker,
    topic_prefix: str,
    own_database: str,
) -> None:
    await asyncio.to_thread(service, NOTIFICATIONS_ENDPOINT_CONCURRENCY="2")
    async with receiving() as slow, receiving() as fast, receiving() as gone:
        slow.delay_s, gone.default_status = 30.0, 410
        await _subscribe(publisher, topic_prefix, own_database, slow.url)
        await _subscribe(publisher, topic_prefix, own_database, fast.url)
        gone_id = await _subscribe(publisher, topic_prefix, own_database, gone.url)
        for _ in range(30):
            await send(publisher, topic_prefix, match_found())
        await eventually(lambda: _count(fast, 30), timeout=30, what="the fast receiver's share")
        slow_attempts = len(slow.requests)

        async def disabled() -> list[asyncpg.Record]:
            return await _ledger(
                own_database,
                "SELECT status_reason FROM notifications.subscriptions"
                " WHERE subscription_id = $1 AND status = 'disabled'",
                gone_id,
            )

        await eventually(disabled, timeout=30, what="the 410 subscription to be disabled")
        parked = await _ledger(
            own_database,
            "SELECT last_error FROM notifications.deliveries WHERE subscription_id = $1",
            gone_id,
        )

    assert slow_attempts < 30
    # Attempts already in flight in the receiver's concurrency slots may also meet the
    # 410; no more follow.
    slots = NotificationsSettings.model_fields["endpoint_concurrency"].default
    assert 1 <= len(gone.requests) <= slots
    # Matches routed before the 410 were parked with it; later ones were not routed at all.
    assert 1 <= len(parked) <= 30
    assert {r["last_error"] for r in parked} <= {
        "410 Gone: subscription disabled",
        "subscription disabled after 410 Gone",
    }


async def test_kill_9_during_a_burst_loses_nothing(
    service: Callable[..., launcher.ServiceProcess],
    publisher: KafkaBroker,
    topic_prefix: str,
    own_database: str,
) -> None:
    burst = 300
    proc = await asyncio.to_thread(service)
    async with receiving() as hub:
        await _subscribe(publisher, topic_prefix, own_database, hub.url)
        for _ in range(burst):
            await send(publisher, topic_prefix, match_found())
        await eventually(lambda: _count(hub, 10), timeout=30, what="the burst to be under way")
        os.killpg(proc.process.pid, signal.SIGKILL)
        proc.process.wait()
        before_restart = len(set(hub.acknowledged()))
        await asyncio.to_thread(service)
        await eventually(lambda: _count(hub, burst), timeout=120, what="the whole burst")
        rows = await _ledger(
            own_database, "SELECT delivery_id, body::text AS body FROM notifications.deliveries"
        )

    assert before_restart < burst, "the kill came too late to test anything"
    bodies = {str(r["delivery_id"]): r["body"] for r in rows}
    assert len(bodies) == burst
    # Repeats are allowed only as the same delivery: same id, same bytes.
    for request in hub.requests:
        delivery_id = request.headers["x-drehscheibe-delivery"]
        assert json.loads(request.body) == json.loads(bodies[delivery_id])
    assert set(hub.acknowledged()) == set(bodies)
