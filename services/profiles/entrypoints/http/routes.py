"""`/v1` routes: thin — parse, call one use case, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from services.profiles.bootstrap import Container
from services.profiles.entrypoints.http.schemas import Created, ProfileIn, VacancyIn
from services.profiles.service_layer import postings
from shared.events import HeldCompetence, RequiredCompetence

router = APIRouter(prefix="/v1")


def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(_container)]
PROBLEM = {"description": "Problem details (RFC 9457)", "content": {"application/problem+json": {}}}


@router.post(
    "/vacancies",
    status_code=status.HTTP_201_CREATED,
    response_model=Created,
    responses={422: PROBLEM},
    tags=["vacancies"],
    summary="Open a vacancy",
)
async def create_vacancy(body: VacancyIn, container: ContainerDep, response: Response) -> Created:
    """Store a vacancy; matching picks it up from hub.vacancies.v1."""
    vacancy = await postings.open_vacancy(
        container.uow,
        container.postcodes,
        occupation=body.occupation,
        competences=[RequiredCompetence(**c.model_dump()) for c in body.competences],
        postcode=body.postcode,
        radius_km=body.radius_km,
    )
    response.headers["Location"] = f"/v1/vacancies/{vacancy.id}"
    return Created(id=vacancy.id, version=vacancy.version)


@router.post(
    "/profiles",
    status_code=status.HTTP_201_CREATED,
    response_model=Created,
    responses={422: PROBLEM},
    tags=["profiles"],
    summary="Publish a qualification profile",
)
async def create_profile(body: ProfileIn, container: ContainerDep, response: Response) -> Created:
    """Store a pseudonymous profile; matching picks it up from hub.profiles.v1."""
    profile = await postings.publish_profile(
        container.uow,
        container.postcodes,
        occupations=body.occupations,
        competences=[HeldCompetence(**c.model_dump()) for c in body.competences],
        postcode=body.postcode,
        radius_km=body.radius_km,
    )
    response.headers["Location"] = f"/v1/profiles/{profile.id}"
    return Created(id=profile.id, version=profile.version)
