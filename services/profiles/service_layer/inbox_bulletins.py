"""Inbox handler of bulletins: the API's publish use case, keyed by external ids."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from services.profiles.domain.bulletin import BulletinContent
from services.profiles.service_layer import bulletins
from services.profiles.service_layer.inbox_apply import Delivery, Handler, Outcome, check_owner
from shared.events import BulletinPublishedV1, EventPayload


def _content(payload: BulletinPublishedV1) -> BulletinContent:
    # Target districts are resolved by the hub from the target regions, never taken as sent.
    return BulletinContent(
        title=payload.title,
        body=payload.body,
        category=payload.category,
        target_regions=tuple(payload.target_regions),
        target_occupations=tuple(payload.target_occupations),
        target_organisation_kinds=tuple(payload.target_organisation_kinds),
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )


async def _bulletin_published(d: Delivery, payload: EventPayload) -> Outcome:
    assert isinstance(payload, BulletinPublishedV1)
    check_owner(d.sender, payload.organisation_id)

    async def create() -> UUID:
        published = await bulletins.publish_bulletin(
            d.uow, d.reference, d.sender, _content(payload)
        )
        return published.id

    return await d.opening(payload.version, create)


HANDLERS: Mapping[type[EventPayload], tuple[str, Handler]] = {
    BulletinPublishedV1: ("bulletin", _bulletin_published),
}
