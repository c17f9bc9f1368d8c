"""Unsafe webhook URLs are refused when the subscription arrives, with a visible reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from faststream.kafka import KafkaBroker

from services.notifications.config import NotificationsSettings
from shared.events import DeliveryOutcomeV1, decode
from shared.topics import NOTIFICATIONS
from tests.integration.notifications.conftest import Running
from tests.integration.notifications.helpers import match_found, send, subscription
from tests.integration.notifications.receiver import receiving
from tests.kafka_tools import read_all
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.integration

Settings = Callable[..., NotificationsSettings]

REFUSED = {
    "http://10.0.0.5/hook": "plain http refused",
    "https://10.0.0.5/hook": "non-public address 10.0.0.5 refused",
    "https://169.254.169.254/latest/meta-data": "metadata address 169.254.169.254 refused",
    "https://[fd00:ec2::254]/": "metadata address fd00:ec2::254 refused",
    "https://100.64.1.1/hook": "non-public address 100.64.1.1 refused",
    "https://[::ffff:192.168.1.1]/hook": "non-public address 192.168.1.1 refused",
    "ftp://hub.example/hook": "scheme ftp refused",
}


async def test_unsafe_urls_are_rejected_with_a_reason(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: Any,
    stack: StackUrls,
) -> None:
    async with receiving() as loopback:
        async with running(settings_for(allow_insecure_localhost=True)):
            ids = {}
            for url in REFUSED:
                event = await send(publisher, topic_prefix, subscription(url))
                ids[UUID(event.data["subscription_id"])] = url
            await send(publisher, topic_prefix, match_found())

            async def all_rejected() -> list[Any]:
                rows = await ledger.fetch(
                    "SELECT subscription_id, status, status_reason FROM subscriptions"
                )
                return rows if len(rows) == len(REFUSED) else []

            rows = await eventually(all_rejected, what="every subscription to be stored")

            async def outcomes() -> list[DeliveryOutcomeV1]:
                records = await read_all(stack.kafka, f"{topic_prefix}{NOTIFICATIONS}")
                found = [decode(r.value, [DeliveryOutcomeV1])[1] for r in records]
                typed = [o for o in found if isinstance(o, DeliveryOutcomeV1)]
                return typed if len(typed) == len(REFUSED) else []

            published = await eventually(outcomes, what="one rejection outcome each")
        # Without the development flag even loopback over http is refused.
        async with running(settings_for()):
            local = await send(publisher, topic_prefix, subscription(loopback.url))

            async def stored() -> Any:
                return await ledger.fetchrow(
                    "SELECT status, status_reason FROM subscriptions WHERE subscription_id = $1",
                    UUID(local.data["subscription_id"]),
                )

            local_row = await eventually(stored, what="the loopback subscription")

    for row in rows:
        assert row["status"] == "rejected"
        assert REFUSED[ids[row["subscription_id"]]] in row["status_reason"]
    for outcome in published:
        assert isinstance(outcome, DeliveryOutcomeV1)
        assert outcome.status.value == "parked"
        assert outcome.last_error is not None
        assert outcome.last_error.startswith("subscription rejected: ")
        assert outcome.subscription_id in ids
    assert local_row["status"] == "rejected"
    assert "plain http refused" in local_row["status_reason"]
    assert await ledger.fetchval("SELECT count(*) FROM deliveries") == 0
    assert loopback.requests == []
