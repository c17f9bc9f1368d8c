"""`/v1/subscriptions/{id}/deliveries`: what became of each delivery (owner only)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from services.profiles.adapters.idempotency import StoredResponse
from services.profiles.domain.queries import MAX_PAGE, ListFilter
from services.profiles.entrypoints.http.dependencies import Caller, ContainerDep, list_filter
from services.profiles.entrypoints.http.responses import page, problems, respond
from services.profiles.entrypoints.http.schemas.deliveries import DeliveryList, DeliveryOut
from services.profiles.service_layer import deliveries
from services.profiles.service_layer.transactions import transact
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork as Uow
from shared.events import DeliveryStatus

router = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"])


async def delivery_filter(
    c: ContainerDep,
    status: Annotated[
        DeliveryStatus | None, Query(description="delivered, retrying or parked.")
    ] = None,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = 50,
) -> ListFilter:
    """Status filter and page position of a deliveries request."""
    return await list_filter(c, status=status.value if status else None, cursor=cursor, limit=limit)


Filters = Annotated[ListFilter, Depends(delivery_filter)]


@router.get(
    "/{subscription_id}/deliveries",
    response_model=DeliveryList,
    responses=problems(400, 403, 404, 422),
    summary="Deliveries of a subscription",
)
async def list_deliveries(
    subscription_id: UUID, caller: Caller, c: ContainerDep, filters: Filters
) -> JSONResponse:
    """Each delivery's latest status, attempts, last error and next attempt; `status` filters."""

    async def work(uow: Uow) -> StoredResponse:
        found = await deliveries.list_deliveries(uow, caller, subscription_id, filters)
        return page([DeliveryOut.of(d) for d in found.items], found.next_after)

    return respond(await transact(c.uow, work))
