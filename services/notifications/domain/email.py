"""What a notification e-mail says: one event, or a digest of several bulletins."""

from __future__ import annotations

import json
from collections.abc import Sequence
from email.message import EmailMessage

from services.notifications.domain.delivery import DELIVERY_HEADER, EVENT_HEADER, DueDelivery

_SUBJECTS = {
    "de.drehscheibe.match.found.v1": "New match",
    "de.drehscheibe.match.updated.v1": "Match updated",
    "de.drehscheibe.match.retracted.v1": "Match retracted",
    "de.drehscheibe.bulletin.published.v1": "Bulletin",
}


def recipient(delivery: DueDelivery) -> str:
    """The address of an e-mail delivery (stored as a mailto: target)."""
    return delivery.target_url.removeprefix("mailto:")


def _section(delivery: DueDelivery) -> tuple[str, str]:
    document = json.loads(delivery.body)
    data = document.get("data", {})
    kind = _SUBJECTS.get(delivery.event_type, delivery.event_type)
    if "title" in data:
        heading = f"{kind}: {data['title']}"
        text = str(data.get("body", ""))
    else:
        heading = kind
        text = json.dumps(data, indent=2, ensure_ascii=False)
    return (
        heading,
        f"{heading}\n{'=' * len(heading)}\n\n{text}\n\nDelivery id: {delivery.delivery_id}\n",
    )


def single(delivery: DueDelivery, *, sender: str) -> EmailMessage:
    """One e-mail for one delivery; its delivery id travels in a header, as with webhooks."""
    heading, text = _section(delivery)
    message = _message(sender, recipient(delivery), f"[Drehscheibe] {heading}", text)
    message[DELIVERY_HEADER] = str(delivery.delivery_id)
    message[EVENT_HEADER] = delivery.event_type
    return message


def digest(deliveries: Sequence[DueDelivery], *, sender: str) -> EmailMessage:
    """One e-mail that carries every bulletin collected in a digest window."""
    sections = [_section(d)[1] for d in deliveries]
    subject = f"[Drehscheibe] Digest: {len(deliveries)} bulletin(s)"
    message = _message(sender, recipient(deliveries[0]), subject, "\n\n".join(sections))
    message[DELIVERY_HEADER] = ", ".join(str(d.delivery_id) for d in deliveries)
    return message


def _message(sender: str, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(text)
    return message
