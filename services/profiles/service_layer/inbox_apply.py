"""Apply a verified inbox event: once per event id, mapped to the hub's aggregate, in order.

The record key and the CloudEvents `subject` are the producer's own id of the
aggregate (its external id). The first event of an external id creates the hub's
aggregate through the same use case the API calls and records the mapping; later
events find it there. A producer's version not newer than the last one applied is
ignored, and so is an event id already applied: redelivery changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from services.profiles.adapters.inbox import ExternalRef, InboxRepository
from services.profiles.adapters.reference import Reference
from services.profiles.domain import errors
from services.profiles.domain.access import Principal
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.events import CloudEvent, EventPayload, InvalidEventError

# Refusals by the domain: the record can never succeed, so it is dead-lettered.
_REFUSALS = (
    errors.UnknownReferenceError,
    errors.ContactDataError,
    errors.ForbiddenError,
    errors.NotFoundError,
    errors.StateConflictError,
)


class Outcome(StrEnum):
    """What became of an inbox event."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"  # this event id was applied before
    STALE = "stale"  # the producer's version is not newer than the one applied


@dataclass(frozen=True, slots=True)
class Delivery:
    """One verified inbox event and everything a handler needs to apply it."""

    uow: ProfilesUnitOfWork
    reference: Reference
    sender: Principal
    envelope: CloudEvent
    external: ExternalRef

    @property
    def mapping(self) -> InboxRepository:
        """The inbox tables on the delivery's transaction."""
        return InboxRepository(self.uow.conn)

    async def opening(self, version: int, create: Callable[[], Awaitable[UUID]]) -> Outcome:
        """Create the aggregate of a new external id and remember the mapping."""
        mapped = await self.mapping.mapped(self.external)
        if mapped is not None:
            if version <= mapped.external_version:
                return Outcome.STALE
            raise InvalidEventError(
                f"conflict: {self.external.kind} {self.external.external_id} exists already;"
                " send an update"
            )
        await self.mapping.map(self.external, await create(), version)
        return Outcome.APPLIED

    async def changing(self, version: int, change: Callable[[UUID], Awaitable[None]]) -> Outcome:
        """Change the aggregate an external id is mapped to, unless the version is stale."""
        mapped = await self.mapping.mapped(self.external)
        if mapped is None:
            raise InvalidEventError(
                f"unknown {self.external.kind}: {self.external.external_id} was never"
                " published by this organisation"
            )
        if version <= mapped.external_version:
            return Outcome.STALE
        await change(mapped.aggregate_id)
        await self.mapping.set_version(self.external, version)
        return Outcome.APPLIED


Handler = Callable[[Delivery, EventPayload], Awaitable[Outcome]]


def external_id(key: bytes | None, envelope: CloudEvent) -> str:
    """The producer's id of the aggregate: the record key, equal to the event's subject."""
    if key is None:
        raise InvalidEventError("no key: the record key must be the external id")
    if key.decode(errors="replace") != envelope.subject:
        raise InvalidEventError("key mismatch: the record key must equal the event's subject")
    return envelope.subject


def check_owner(sender: Principal, organisation_id: UUID | None) -> None:
    """A payload may name its organisation, but only the one that signed it."""
    if organisation_id is not None and organisation_id != sender.organisation_id:
        raise InvalidEventError("forbidden: data.organisation_id names another organisation")


async def apply_inbox_event(delivery: Delivery, payload: EventPayload, handler: Handler) -> Outcome:
    """Apply one event at most once; domain refusals become InvalidEventError."""
    if not await delivery.mapping.claim_event(
        delivery.sender.organisation_id, delivery.envelope.id
    ):
        return Outcome.DUPLICATE
    try:
        return await handler(delivery, payload)
    except _REFUSALS as exc:
        raise InvalidEventError(f"refused: {exc}") from exc
