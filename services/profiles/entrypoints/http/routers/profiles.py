"""`/v1/profiles`: job seekers' profiles; DELETE is erasure."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status
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
from services.profiles.entrypoints.http.schemas.profiles import (
    ProfileIn,
    ProfileList,
    ProfileOut,
    ProfileUpdateIn,
)
from services.profiles.service_layer import profiles
from services.profiles.service_layer.transactions import transact
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork as Uow

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProfileOut,
    responses=problems(403, 409, 422),
    summary="Publish a job seeker's qualification profile",
)
async def create_profile(
    body: ProfileIn, caller: Caller, c: ContainerDep, request: Request, key: IdempotencyKey = None
) -> JSONResponse:
    """Store a pseudonymous profile with consent; matching picks it up from hub.profiles.v1."""

    async def work(uow: Uow) -> StoredResponse:
        profile = await profiles.publish_profile(
            uow, c.reference, caller, body.details(), body.consent.value(), body.reference
        )
        out = ProfileOut.of(profile, caller)
        return representation(201, out, f"/v1/profiles/{profile.id}")

    return respond(await transact(c.uow, work, claim(caller, key, request, body)))


@router.get(
    "", response_model=ProfileList, responses=problems(400, 403, 422), summary="List profiles"
)
async def list_profiles(caller: Caller, c: ContainerDep, filters: Filters) -> JSONResponse:
    """The profiles the organisation may see, oldest first, filtered."""

    async def work(uow: Uow) -> StoredResponse:
        found = await profiles.list_profiles(uow, caller, filters)
        return page([ProfileOut.of(p, caller) for p in found.items], found.next_after)

    return respond(await transact(c.uow, work))


@router.get(
    "/{profile_id}",
    response_model=ProfileOut,
    responses=problems(403, 404),
    summary="Read a profile",
)
async def get_profile(profile_id: UUID, caller: Caller, c: ContainerDep) -> JSONResponse:
    """One profile; `reference` and `consent` only for its owner. The ETag is its version."""

    async def work(uow: Uow) -> StoredResponse:
        profile = await profiles.get_profile(uow, caller, profile_id)
        return representation(200, ProfileOut.of(profile, caller))

    return respond(await transact(c.uow, work))


@router.put(
    "/{profile_id}",
    response_model=ProfileOut,
    responses=problems(403, 404, 409, 412, 422, 428),
    summary="Replace a profile's details",
)
async def update_profile(
    profile_id: UUID, body: ProfileUpdateIn, version: IfMatch, caller: Caller, c: ContainerDep
) -> JSONResponse:
    """Needs `If-Match` with the current ETag; emits ProfileUpdated."""

    async def work(uow: Uow) -> StoredResponse:
        profile = await profiles.revise_profile(
            uow, c.reference, caller, profile_id, version, body.details(), body.reference
        )
        return representation(200, ProfileOut.of(profile, caller))

    return respond(await transact(c.uow, work))


@router.delete(
    "/{profile_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(403, 404),
    summary="Erase a profile (right to be forgotten)",
)
async def erase_profile(profile_id: UUID, caller: Caller, c: ContainerDep) -> Response:
    """Removes the profile; emits ProfileErased and a tombstone. No If-Match needed."""

    async def work(uow: Uow) -> StoredResponse:
        await profiles.erase_profile(uow, caller, profile_id)
        return StoredResponse(204, {})

    await transact(c.uow, work)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
