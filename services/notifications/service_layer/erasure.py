"""Erasure (GDPR art. 17): drop an erased profile's data from the delivery ledger.

The service reads hub.profiles.v1 only for `ProfileErasedV1`; the other profile
events are decoded (so a malformed one is dead-lettered like anywhere else) and
ignored. Pending deliveries that carry the profile are deleted, so they are never
sent; delivered and parked ones keep their ledger row with the payload blanked.
The erased id is remembered, so a match of the profile read later is not routed.
Retractions of the profile's matches arrive from the matcher as usual.
"""

from __future__ import annotations

from uuid import UUID

import structlog

from services.notifications.adapters import erasure_sql
from services.notifications.service_layer.unit_of_work import UowFactory
from shared.consuming import DeadLetters, EventConsumer
from shared.events import (
    CloudEvent,
    EventPayload,
    ProfileErasedV1,
    ProfilePublishedV1,
    ProfileUpdatedV1,
    ProfileWithdrawnV1,
)

ACCEPTED = (ProfilePublishedV1, ProfileUpdatedV1, ProfileWithdrawnV1, ProfileErasedV1)
log = structlog.get_logger("erasure")


async def erase_profile(uow: UowFactory, profile_id: UUID) -> tuple[int, int]:
    """Delete pending and blank sent deliveries carrying the profile; (deleted, blanked)."""
    async with uow() as tx:
        await tx.erased.lock_for_erasure()
        await tx.erased.remember(profile_id)
        deleted = await tx.conn.execute(erasure_sql.DELETE_PENDING, str(profile_id))
        blanked = await tx.conn.execute(erasure_sql.BLANK_SENT, str(profile_id))
        await tx.commit()
    return _count(deleted), _count(blanked)


def _count(status: str) -> int:
    # asyncpg returns the command tag, e.g. "DELETE 3".
    return int(status.rsplit(" ", 1)[-1])


def erasure_consumer(uow: UowFactory, dead: DeadLetters) -> EventConsumer:
    """The consumer of hub.profiles.v1 that acts on erasures only."""

    async def apply(_: CloudEvent, payload: EventPayload) -> None:
        if isinstance(payload, ProfileErasedV1):
            deleted, blanked = await erase_profile(uow, payload.profile_id)
            log.info("profile erased from the ledger", deleted=deleted, blanked=blanked)

    return EventConsumer(accepted=ACCEPTED, apply=apply, dead_letters=dead)
