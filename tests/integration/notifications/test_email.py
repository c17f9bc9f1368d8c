"""E-mail as a second channel, and digests, against a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
from collections.abc import Callable, Iterator
from email.message import Message
from typing import Any
from uuid import UUID

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from faststream.kafka import KafkaBroker

from services.notifications.config import NotificationsSettings
from tests.integration.notifications.conftest import Running
from tests.integration.notifications.helpers import (
    bulletin,
    match_found,
    send,
    subscription,
    subscription_status,
)
from tests.receiver import free_port
from tests.waiting import eventually

pytestmark = pytest.mark.integration

Settings = Callable[..., NotificationsSettings]


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 -- aiosmtpd's hook name
        content = envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(raw)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on a loopback port for the duration of a test."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


async def _subscribe(publisher: KafkaBroker, prefix: str, ledger: Any, **fields: Any) -> UUID:
    event = await send(publisher, prefix, subscription(None, channel="email", **fields))
    sid = UUID(event.data["subscription_id"])

    async def active() -> bool:
        return await subscription_status(ledger, sid) == "active"

    await eventually(active, what="the e-mail subscription")
    return sid


async def test_matches_and_bulletin_digests_arrive_by_email(
    settings_for: Settings,
    running: Running,
    publisher: KafkaBroker,
    topic_prefix: str,
    ledger: Any,
    smtp: tuple[Inbox, int],
) -> None:
    inbox, port = smtp
    settings = settings_for(smtp_port=port, digest_interval_s=2.0)
    async with running(settings):
        await _subscribe(publisher, topic_prefix, ledger, email="firm@example.org")
        await _subscribe(
            publisher,
            topic_prefix,
            ledger,
            email="digest@example.org",
            digest=True,
            event_kinds=["bulletin"],
        )
        await send(publisher, topic_prefix, match_found(score=0.91))
        for title in ("Kurs A", "Kurs B", "Kurs C"):
            await send(publisher, topic_prefix, bulletin(title=title))

        async def digest_sent() -> bool:
            return any(to == ["digest@example.org"] for to, _ in inbox.messages)

        await eventually(digest_sent, timeout=30, what="the digest")

        async def all_delivered() -> bool:
            pending = await ledger.fetchval(
                "SELECT count(*) FROM deliveries WHERE status <> 'delivered'"
            )
            return bool(pending == 0)

        await eventually(all_delivered, what="every e-mail delivery to be recorded")

    to_firm = [m for to, m in inbox.messages if to == ["firm@example.org"]]
    digests = [m for to, m in inbox.messages if to == ["digest@example.org"]]
    assert len(digests) == 1, "three bulletins, one window, one message"
    text = digests[0].get_payload(decode=True)
    assert isinstance(text, bytes)
    assert all(f"Bulletin: Kurs {x}".encode() in text for x in "ABC")
    assert digests[0]["Subject"] == "[Drehscheibe] Digest: 3 bulletin(s)"
    subjects = sorted(str(m["Subject"]) for m in to_firm)
    assert subjects[0] == "[Drehscheibe] Bulletin: Kurs A"
    assert "[Drehscheibe] New match" in subjects
    assert len(to_firm) == 4
    rows = await ledger.fetch("SELECT channel, target_url FROM deliveries")
    assert {(r["channel"], r["target_url"]) for r in rows} == {
        ("email", "mailto:firm@example.org"),
        ("email", "mailto:digest@example.org"),
    }
