"""`/v1/bulletins`: updates from associations and agencies to the organisations they address."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse

from services.profiles.adapters.idempotency import StoredResponse
from services.profiles.entrypoints.http.dependencies import (
    Caller,
    ContainerDep,
    Filters,
    IdempotencyKey,
    claim,
)
from services.profiles.entrypoints.http.responses import page, problems, representation, respond
from services.profiles.entrypoints.http.schemas.bulletins import (
    BulletinIn,
    BulletinList,
    BulletinOut,
)
from services.profiles.service_layer import bulletins
from services.profiles.service_layer.transactions import transact
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork as Uow
from shared.events import BulletinCategory

router = APIRouter(prefix="/v1/bulletins", tags=["bulletins"])
Category = Annotated[BulletinCategory | None, Query(description="funding, training, event, news.")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=BulletinOut,
    responses=problems(403, 409, 422),
    summary="Publish a bulletin",
)
async def create_bulletin(
    body: BulletinIn, caller: Caller, c: ContainerDep, request: Request, key: IdempotencyKey = None
) -> JSONResponse:
    """Associations and agencies; notifications delivers it from hub.bulletins.v1."""

    async def work(uow: Uow) -> StoredResponse:
        made = await bulletins.publish_bulletin(uow, c.reference, caller, body.content())
        return representation(201, BulletinOut.of(made), f"/v1/bulletins/{made.id}")

    return respond(await transact(c.uow, work, claim(caller, key, request, body)))


@router.get(
    "", response_model=BulletinList, responses=problems(400, 403, 422), summary="List bulletins"
)
async def list_bulletins(
    caller: Caller, c: ContainerDep, filters: Filters, category: Category = None
) -> JSONResponse:
    """The organisation's own bulletins and those addressed to it and valid now, oldest first."""

    async def work(uow: Uow) -> StoredResponse:
        found = await bulletins.list_bulletins(uow, caller, filters, category)
        return page([BulletinOut.of(b) for b in found.items], found.next_after)

    return respond(await transact(c.uow, work))


@router.get(
    "/{bulletin_id}",
    response_model=BulletinOut,
    responses=problems(403, 404),
    summary="Read a bulletin",
)
async def get_bulletin(bulletin_id: UUID, caller: Caller, c: ContainerDep) -> JSONResponse:
    """One bulletin the organisation published or is addressed by."""

    async def work(uow: Uow) -> StoredResponse:
        found = await bulletins.get_bulletin(uow, caller, bulletin_id)
        return representation(200, BulletinOut.of(found))

    return respond(await transact(c.uow, work))
