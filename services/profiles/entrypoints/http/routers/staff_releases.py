"""`/v1/staff-releases`: people a firm must let go, as pseudonymous profiles."""

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
from services.profiles.entrypoints.http.schemas.staff_releases import (
    StaffReleaseIn,
    StaffReleaseList,
    StaffReleaseOut,
    TermsIn,
    WithdrawIn,
)
from services.profiles.service_layer import staff_releases
from services.profiles.service_layer.transactions import transact
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork as Uow

router = APIRouter(prefix="/v1/staff-releases", tags=["staff releases"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=StaffReleaseOut,
    responses=problems(403, 409, 422),
    summary="Announce a staff release with its people",
)
async def create_release(
    body: StaffReleaseIn,
    caller: Caller,
    c: ContainerDep,
    request: Request,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Each person becomes a pseudonymous profile (origin staff_release) with its consent."""

    async def work(uow: Uow) -> StoredResponse:
        people = [p.person() for p in body.people]
        release, profiles = await staff_releases.announce(
            uow, c.reference, caller, body.terms(), people
        )
        out = StaffReleaseOut.of(release, caller, profiles)
        return representation(201, out, f"/v1/staff-releases/{release.id}")

    return respond(await transact(c.uow, work, claim(caller, key, request, body)))


@router.get(
    "",
    response_model=StaffReleaseList,
    responses=problems(400, 403, 422),
    summary="List staff releases",
)
async def list_releases(caller: Caller, c: ContainerDep, filters: Filters) -> JSONResponse:
    """The staff releases the organisation may see, oldest first, filtered."""

    async def work(uow: Uow) -> StoredResponse:
        found = await staff_releases.list_releases(uow, caller, filters)
        items = [StaffReleaseOut.of(r, caller) for r in found.items]
        return page(items, found.next_after)

    return respond(await transact(c.uow, work))


@router.get(
    "/{release_id}",
    response_model=StaffReleaseOut,
    responses=problems(403, 404),
    summary="Read a staff release",
)
async def get_release(release_id: UUID, caller: Caller, c: ContainerDep) -> JSONResponse:
    """One staff release; `people` (profile id and reference) only for the releasing firm."""

    async def work(uow: Uow) -> StoredResponse:
        release, profiles = await staff_releases.get_release(uow, caller, release_id)
        return representation(200, StaffReleaseOut.of(release, caller, profiles))

    return respond(await transact(c.uow, work))


@router.put(
    "/{release_id}",
    response_model=StaffReleaseOut,
    responses=problems(403, 404, 409, 412, 422, 428),
    summary="Replace a staff release's terms",
)
async def update_release(
    release_id: UUID, body: TermsIn, version: IfMatch, caller: Caller, c: ContainerDep
) -> JSONResponse:
    """Needs `If-Match`; emits StaffReleaseUpdated. People change through /v1/profiles."""

    async def work(uow: Uow) -> StoredResponse:
        release = await staff_releases.revise(
            uow, c.reference, caller, release_id, version, body.terms()
        )
        return representation(200, StaffReleaseOut.of(release, caller))

    return respond(await transact(c.uow, work))


@router.post(
    "/{release_id}/withdraw",
    response_model=StaffReleaseOut,
    responses=problems(403, 404, 409, 412, 422, 428),
    summary="Withdraw a staff release",
)
async def withdraw_release(
    release_id: UUID,
    body: WithdrawIn,
    version: IfMatch,
    caller: Caller,
    c: ContainerDep,
    request: Request,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Needs `If-Match`; its profiles are withdrawn, or erased with `erase_profiles`."""

    async def work(uow: Uow) -> StoredResponse:
        release = await staff_releases.withdraw(
            uow, c.reference, caller, release_id, version, erase_profiles=body.erase_profiles
        )
        return representation(200, StaffReleaseOut.of(release, caller))

    return respond(await transact(c.uow, work, claim(caller, key, request, body)))
