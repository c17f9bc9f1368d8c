"""A slow receiver times out without delaying deliveries to the others."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from faststream.kafka import KafkaBroker

from services.notifications.config import NotificationsSettings
from tests.integration.notifications.conftest import Running
from tests.integration.notifications.helpers import (
    match_found,
    send,
    subscription,
    subscription_status,
)
from tests.integration.notifications.receiver import Receiver, receiving
from tests.waiting import eventually

pytestmark = pytest.mark.integration

Settings = Callable[..., NotificationsSettings]
MATCHES = 30


async def _subscribe(publisher: KafkaBroker, prefix: str, ledger: Any, url: str) -> None:
    event = await send(publisher, prefix, subscription(url))
    sid = UUID(event.data["subscription_id"])

    async def active() -> bool:
        return await subscription_status(ledger, sid) == "active"

    await eventually(active, what="the subscription")


async def test_a_slow_receiver_does_not_stall_a_fast_one(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: Any,
) -> None:
    settings = settings_for(
        allow_insecure_localhost=True,
        webhook_timeout_s=1.0,
        endpoint_concurrency=2,
        worker_batch_size=10,
        worker_max_in_flight=20,
    )
    async with receiving() as slow, receiving() as fast, running(settings):
        slow.delay_s = 30.0  # far beyond the attempt timeout
        await _subscribe(publisher, topic_prefix, ledger, slow.url)
        await _subscribe(publisher, topic_prefix, ledger, fast.url)
        started = time.monotonic()
        for _ in range(MATCHES):
            await send(publisher, topic_prefix, match_found())
        await eventually(lambda: _count(fast, MATCHES), timeout=30, what="every fast delivery")
        elapsed = time.monotonic() - started
        slow_attempts = len(slow.requests)
        errors = await ledger.fetch(
            "SELECT DISTINCT last_error FROM deliveries WHERE target_url = $1 AND attempts > 0",
            slow.url,
        )

    # Serialised behind the slow receiver, 30 deliveries would take 30 timeouts.
    assert elapsed < MATCHES * settings.webhook_timeout_s / 2
    # Its two slots and then its open breaker kept it to a few attempts.
    assert slow_attempts < MATCHES
    assert {row["last_error"] for row in errors} <= {"ReadTimeout: ", None}
    assert len(set(fast.delivery_ids())) == MATCHES


async def _count(receiver: Receiver, n: int) -> bool:
    return len(receiver.requests) >= n
