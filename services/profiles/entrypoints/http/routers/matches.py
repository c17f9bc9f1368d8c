"""Matches, projected from hub.matches.v1: per vacancy, per profile, and per region."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from services.profiles.adapters.idempotency import StoredResponse
from services.profiles.domain.queries import MAX_PAGE
from services.profiles.domain.read_models import MatchPosition, MatchQuery, MatchView
from services.profiles.entrypoints.http.dependencies import Caller, ContainerDep, list_filter
from services.profiles.entrypoints.http.problems import ProblemError
from services.profiles.entrypoints.http.responses import problems, respond
from services.profiles.entrypoints.http.schemas.matches import MatchList, MatchOut
from services.profiles.service_layer import matches
from services.profiles.service_layer.transactions import transact
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork as Uow

router = APIRouter(tags=["matches"])
_INVALID = ProblemError(
    400, "Invalid cursor", "cursor: not a cursor this API issued", "invalid-cursor",
    errors=[{"field": "cursor", "message": "not a cursor this API issued"}],
)  # fmt: skip


def _encode(position: MatchPosition) -> str:
    raw = f"m1:{position.score!r}:{position.seq}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(cursor: str) -> MatchPosition:
    try:
        tag, score, seq = base64.urlsafe_b64decode(cursor.encode()).decode().split(":")
        if tag == "m1" and seq.isdigit():
            return MatchPosition(float(score), int(seq))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise _INVALID


async def match_query(
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = 50,
) -> MatchQuery:
    """Page position of a matches request (best score first)."""
    return MatchQuery(after=_decode(cursor) if cursor else None, limit=limit)


Page = Annotated[MatchQuery, Depends(match_query)]


def _page(views: list[MatchView], limit: int) -> StoredResponse:
    more = len(views) == limit
    body = {
        "items": [MatchOut.of(v).model_dump(mode="json", exclude_none=True) for v in views],
        "next_cursor": _encode(views[-1].position) if views and more else None,
    }
    return StoredResponse(200, body)


@router.get(
    "/v1/vacancies/{vacancy_id}/matches",
    response_model=MatchList,
    responses=problems(400, 403, 404, 422),
    summary="A vacancy's matches, best first",
)
async def vacancy_matches(
    vacancy_id: UUID, caller: Caller, c: ContainerDep, query: Page
) -> JSONResponse:
    """Score, explanation, gap and training offers of each pair the organisation may see."""

    async def work(uow: Uow) -> StoredResponse:
        return _page(await matches.matches_of_vacancy(uow, caller, vacancy_id, query), query.limit)

    return respond(await transact(c.uow, work))


@router.get(
    "/v1/profiles/{profile_id}/matches",
    response_model=MatchList,
    responses=problems(400, 403, 404, 422),
    summary="A profile's matches, best first",
)
async def profile_matches(
    profile_id: UUID, caller: Caller, c: ContainerDep, query: Page
) -> JSONResponse:
    """Score, explanation, gap and training offers of each pair the organisation may see."""

    async def work(uow: Uow) -> StoredResponse:
        return _page(await matches.matches_of_profile(uow, caller, profile_id, query), query.limit)

    return respond(await transact(c.uow, work))


@router.get(
    "/v1/matches",
    response_model=MatchList,
    responses=problems(400, 403, 422),
    summary="Matches in a region, best first",
)
async def region_matches(
    caller: Caller,
    c: ContainerDep,
    query: Page,
    region: Annotated[
        str | None, Query(description="Region id: pairs with either side in its districts.")
    ] = None,
) -> JSONResponse:
    """For hubs (their region), and every organisation for the pairs it may see."""
    districts = (await list_filter(c, region=region)).districts

    async def work(uow: Uow) -> StoredResponse:
        found = await matches.list_matches(uow, caller, _with(query, districts))
        return _page(found, query.limit)

    return respond(await transact(c.uow, work))


def _with(query: MatchQuery, districts: frozenset[str] | None) -> MatchQuery:
    return MatchQuery(districts=districts, after=query.after, limit=query.limit)
