"""Turn a consumed match event into a ledger row that the delivery worker sends."""

from __future__ import annotations

import asyncpg
import structlog

from services.notifications.adapters.repository import DeliveryRepository
from services.notifications.domain.delivery import new_delivery
from shared.events import CloudEvent, EventPayload

_log = structlog.get_logger("notifications.handlers")


async def record_match(
    pool: asyncpg.Pool[asyncpg.Record],
    envelope: CloudEvent,
    payload: EventPayload,
    *,
    target_url: str | None,
) -> bool:
    """Record one delivery of the event to the target; False if none was needed or it existed."""
    if target_url is None:
        _log.debug("no webhook configured; match not notified")
        return False
    delivery = new_delivery(
        source_event_id=envelope.id,
        target_url=target_url,
        event_type=envelope.type,
        occurred_at=envelope.time,
        data=payload.model_dump(mode="json"),
    )
    async with pool.acquire() as conn, conn.transaction():
        repo = DeliveryRepository(conn)
        added = await repo.add(delivery)
        if added:
            await repo.wake_worker()
    if added:
        _log.info("delivery recorded", delivery_id=str(delivery.delivery_id))
    else:
        _log.info("delivery already recorded; event replayed")
    return added
