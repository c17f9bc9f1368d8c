"""`/v1/training-offers`: the catalogue matching proposes to close competence gaps."""

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
    IfMatch,
    claim,
)
from services.profiles.entrypoints.http.responses import page, problems, representation, respond
from services.profiles.entrypoints.http.schemas.training_offers import (
    TrainingOfferIn,
    TrainingOfferList,
    TrainingOfferOut,
    WithdrawOfferIn,
)
from services.profiles.service_layer import training_offers
from services.profiles.service_layer.transactions import transact
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork as Uow

router = APIRouter(prefix="/v1/training-offers", tags=["training offers"])
Competence = Annotated[
    str | None, Query(description="Only offers teaching this competence (ESCO URI or hub code).")
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TrainingOfferOut,
    responses=problems(403, 409, 422),
    summary="Publish a training offer",
)
async def create_offer(
    body: TrainingOfferIn,
    caller: Caller,
    c: ContainerDep,
    request: Request,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Training providers and associations; matching reads it from hub.training-offers.v1."""

    async def work(uow: Uow) -> StoredResponse:
        offer = await training_offers.publish_offer(uow, c.reference, caller, body.details())
        return representation(201, TrainingOfferOut.of(offer), f"/v1/training-offers/{offer.id}")

    return respond(await transact(c.uow, work, claim(caller, key, request, body)))


@router.get(
    "",
    response_model=TrainingOfferList,
    responses=problems(400, 403, 422),
    summary="List training offers",
)
async def list_offers(
    caller: Caller, c: ContainerDep, filters: Filters, competence: Competence = None
) -> JSONResponse:
    """The catalogue, oldest first; `region` (on-site offers there), `competence`, `status`."""

    async def work(uow: Uow) -> StoredResponse:
        found = await training_offers.list_offers(uow, caller, filters, competence)
        return page([TrainingOfferOut.of(o) for o in found.items], found.next_after)

    return respond(await transact(c.uow, work))


@router.get(
    "/{offer_id}",
    response_model=TrainingOfferOut,
    responses=problems(403, 404),
    summary="Read a training offer",
)
async def get_offer(offer_id: UUID, caller: Caller, c: ContainerDep) -> JSONResponse:
    """One offer; its ETag is its version."""

    async def work(uow: Uow) -> StoredResponse:
        offer = await training_offers.get_offer(uow, caller, offer_id)
        return representation(200, TrainingOfferOut.of(offer))

    return respond(await transact(c.uow, work))


@router.put(
    "/{offer_id}",
    response_model=TrainingOfferOut,
    responses=problems(403, 404, 409, 412, 422, 428),
    summary="Replace a training offer",
)
async def update_offer(
    offer_id: UUID, body: TrainingOfferIn, version: IfMatch, caller: Caller, c: ContainerDep
) -> JSONResponse:
    """Needs `If-Match`; publishes the new state as TrainingOfferPublished."""

    async def work(uow: Uow) -> StoredResponse:
        offer = await training_offers.revise_offer(
            uow, c.reference, caller, offer_id, version, body.details()
        )
        return representation(200, TrainingOfferOut.of(offer))

    return respond(await transact(c.uow, work))


@router.post(
    "/{offer_id}/withdraw",
    response_model=TrainingOfferOut,
    responses=problems(403, 404, 409, 412, 428),
    summary="Withdraw a training offer",
)
async def withdraw_offer(
    offer_id: UUID,
    version: IfMatch,
    caller: Caller,
    c: ContainerDep,
    request: Request,
    body: WithdrawOfferIn | None = None,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Needs `If-Match`; emits TrainingOfferWithdrawn."""

    async def work(uow: Uow) -> StoredResponse:
        offer = await training_offers.withdraw_offer(uow, c.reference, caller, offer_id, version)
        return representation(200, TrainingOfferOut.of(offer))

    sent = body or WithdrawOfferIn()
    return respond(await transact(c.uow, work, claim(caller, key, request, sent)))
