"""Building deliveries from routed events: addresses, digests, bulletin validity."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from services.notifications.domain import email
from services.notifications.domain.delivery import DueDelivery, Routing
from services.notifications.domain.routing import (
    Recipient,
    bulletin_expired,
    deliveries_for,
    digest_window_end,
    match_kind,
)
from shared.events import (
    BulletinPublishedV1,
    CloudEvent,
    EventKind,
    MatchRetractedV1,
    OrganisationKind,
)

NOW = datetime(2025, 6, 1, 12, 7, 30, tzinfo=UTC)
BULLETIN = BulletinPublishedV1(
    version=1,
    bulletin_id=uuid4(),
    organisation_id=uuid4(),
    organisation_kind=OrganisationKind.ASSOCIATION,
    title="Kurs",
    body="Schweißen für Einsteiger",
)
ENVELOPE = CloudEvent.wrap(BULLETIN, source="profiles")


def _recipient(channel: str = "webhook", **fields: object) -> Recipient:
    values: dict[str, object] = {
        "subscription_id": uuid4(),
        "channel": channel,
        "webhook_url": "https://hub.example/h",
        "email": "hub@example.org",
        "digest": False,
        **fields,
    }
    return Recipient(**values)  # type: ignore[arg-type]


def test_each_recipient_gets_its_own_delivery_id_and_address() -> None:
    hook, mail = _recipient(), _recipient("email")
    found = deliveries_for(ENVELOPE, ENVELOPE.data, [hook, mail], Routing())
    assert [d.target_url for d in found] == ["https://hub.example/h", "mailto:hub@example.org"]
    assert len({d.delivery_id for d in found}) == 2
    assert [d.routing.subscription_id for d in found] == [
        hook.subscription_id,
        mail.subscription_id,
    ]
    assert json.loads(found[0].body)["data"]["title"] == "Kurs"


def test_recipients_without_an_address_are_skipped() -> None:
    found = deliveries_for(ENVELOPE, ENVELOPE.data, [_recipient(webhook_url=None)], Routing())
    assert found == []


def test_only_email_digest_recipients_wait_for_the_window() -> None:
    window = digest_window_end(NOW, 3600)
    digest_mail = _recipient("email", digest=True)
    digest_hook = _recipient(digest=True)
    found = deliveries_for(
        ENVELOPE, ENVELOPE.data, [digest_mail, digest_hook], Routing(), digest_at=window
    )
    assert [(d.routing.digest, d.routing.not_before) for d in found] == [
        (True, window),
        (False, None),
    ]


def test_digest_windows_are_aligned() -> None:
    assert digest_window_end(NOW, 3600) == datetime(2025, 6, 1, 13, tzinfo=UTC)
    assert digest_window_end(NOW, 60) == datetime(2025, 6, 1, 12, 8, tzinfo=UTC)


def test_bulletins_expire_at_valid_until() -> None:
    assert not bulletin_expired(BULLETIN, NOW)
    later = BULLETIN.model_copy(update={"valid_until": NOW - timedelta(seconds=1)})
    assert bulletin_expired(later, NOW)


def test_a_retraction_is_its_own_kind() -> None:
    retraction = MatchRetractedV1(version=2, vacancy_id=uuid4(), profile_id=uuid4(), reason="x")
    assert match_kind(retraction) is EventKind.MATCH_RETRACTED


def test_a_digest_email_carries_every_bulletin_and_its_delivery_ids() -> None:
    found = deliveries_for(ENVELOPE, ENVELOPE.data, [_recipient("email")] * 2, Routing())
    due = [
        DueDelivery(d.delivery_id, d.target_url, d.event_type, d.body, attempts=0) for d in found
    ]
    message = email.digest(due, sender="hub@drehscheibe.invalid")
    assert message["To"] == "hub@example.org"
    assert message["Subject"] == "[Drehscheibe] Digest: 2 bulletin(s)"
    text = message.get_content()
    assert text.count("Bulletin: Kurs") == 2
    assert all(str(d.delivery_id) in message["X-Drehscheibe-Delivery"] for d in due)
