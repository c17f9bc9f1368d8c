"""Re-drive: give a parked delivery a fresh budget of attempts."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

import structlog

from services.notifications.service_layer.unit_of_work import UowFactory

_log = structlog.get_logger("notifications.redrive")


class RedriveResult(StrEnum):
    """What a re-drive request came to."""

    REDRIVEN = "redriven"
    NOT_FOUND = "not_found"
    NOT_PARKED = "not_parked"
    SUBSCRIPTION_INACTIVE = "subscription_inactive"


async def redrive(uow_factory: UowFactory, delivery_id: UUID) -> RedriveResult:
    """Make a parked delivery pending again, due now; its delivery id stays the same.

    No outcome is published here: the next attempt publishes one with a higher
    attempt count, which the projections take as the newer state.
    """
    async with uow_factory() as uow:
        row = await uow.ledger.redrive(delivery_id)
        if row is None:
            found = await uow.ledger.status_of(delivery_id)
            if found is None:
                return RedriveResult.NOT_FOUND
            if found["status"] != "parked":
                return RedriveResult.NOT_PARKED
            return RedriveResult.SUBSCRIPTION_INACTIVE
        await uow.ledger.wake_worker()
        await uow.commit()
    _log.info("delivery re-driven", delivery_id=str(delivery_id))
    return RedriveResult.REDRIVEN
