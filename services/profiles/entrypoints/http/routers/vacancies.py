"""`/v1/vacancies`: thin — parse, call one use case, shape the answer."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, status
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
from services.profiles.entrypoints.http.schemas.vacancies import (
    CloseIn,
    VacancyIn,
    VacancyList,
    VacancyOut,
)
from services.profiles.service_layer import vacancies
from services.profiles.service_layer.transactions import transact
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork as Uow

router = APIRouter(prefix="/v1/vacancies", tags=["vacancies"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=VacancyOut,
    responses=problems(403, 409, 422),
    summary="Open a vacancy",
)
async def create_vacancy(
    body: VacancyIn, caller: Caller, c: ContainerDep, request: Request, key: IdempotencyKey = None
) -> JSONResponse:
    """Store a vacancy; matching picks it up from hub.vacancies.v1."""

    async def work(uow: Uow) -> StoredResponse:
        vacancy = await vacancies.open_vacancy(uow, c.reference, caller, body.details())
        return representation(201, VacancyOut.of(vacancy), f"/v1/vacancies/{vacancy.id}")

    return respond(await transact(c.uow, work, claim(caller, key, request, body)))


@router.get(
    "", response_model=VacancyList, responses=problems(400, 403, 422), summary="List vacancies"
)
async def list_vacancies(caller: Caller, c: ContainerDep, filters: Filters) -> JSONResponse:
    """The vacancies the organisation may see, oldest first, filtered."""

    async def work(uow: Uow) -> StoredResponse:
        found = await vacancies.list_vacancies(uow, caller, filters)
        return page([VacancyOut.of(v) for v in found.items], found.next_after)

    return respond(await transact(c.uow, work))


@router.get(
    "/{vacancy_id}",
    response_model=VacancyOut,
    responses=problems(403, 404),
    summary="Read a vacancy",
)
async def get_vacancy(vacancy_id: UUID, caller: Caller, c: ContainerDep) -> JSONResponse:
    """One vacancy; its ETag is its version."""

    async def work(uow: Uow) -> StoredResponse:
        return representation(
            200, VacancyOut.of(await vacancies.get_vacancy(uow, caller, vacancy_id))
        )

    return respond(await transact(c.uow, work))


@router.put(
    "/{vacancy_id}",
    response_model=VacancyOut,
    responses=problems(403, 404, 409, 412, 422, 428),
    summary="Replace an open vacancy's details",
)
async def update_vacancy(
    vacancy_id: UUID, body: VacancyIn, version: IfMatch, caller: Caller, c: ContainerDep
) -> JSONResponse:
    """Needs `If-Match` with the current ETag; emits VacancyUpdated."""

    async def work(uow: Uow) -> StoredResponse:
        vacancy = await vacancies.revise_vacancy(
            uow, c.reference, caller, vacancy_id, version, body.details()
        )
        return representation(200, VacancyOut.of(vacancy))

    return respond(await transact(c.uow, work))


@router.post(
    "/{vacancy_id}/close",
    response_model=VacancyOut,
    responses=problems(403, 404, 409, 412, 422, 428),
    summary="Close a vacancy or mark it filled",
)
async def close_vacancy(
    vacancy_id: UUID,
    body: CloseIn,
    version: IfMatch,
    caller: Caller,
    c: ContainerDep,
    request: Request,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Needs `If-Match`; emits VacancyClosed (reason filled or closed)."""

    async def work(uow: Uow) -> StoredResponse:
        vacancy = await vacancies.close_vacancy(
            uow, c.reference, caller, vacancy_id, version, body.reason
        )
        return representation(200, VacancyOut.of(vacancy))

    return respond(await transact(c.uow, work, claim(caller, key, request, body)))
