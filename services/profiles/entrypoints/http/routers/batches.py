"""`/v1/batch/{kind}`: bulk creation for imports; each item is validated and keyed alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ValidationError

from services.profiles.adapters.idempotency import StoredResponse
from services.profiles.bootstrap import Container
from services.profiles.domain.access import Principal
from services.profiles.entrypoints.http.dependencies import Caller, ContainerDep, claim_of
from services.profiles.entrypoints.http.problems import describe, invalid_fields
from services.profiles.entrypoints.http.responses import problems, representation
from services.profiles.entrypoints.http.schemas.batches import (
    BatchIn,
    BatchKind,
    BatchOut,
    ItemResult,
)
from services.profiles.entrypoints.http.schemas.profiles import ProfileIn, ProfileOut
from services.profiles.entrypoints.http.schemas.training_offers import (
    TrainingOfferIn,
    TrainingOfferOut,
)
from services.profiles.entrypoints.http.schemas.vacancies import VacancyIn, VacancyOut
from services.profiles.service_layer import profiles, training_offers, vacancies
from services.profiles.service_layer.batches import ItemWork, Outcome, run_batch
from services.profiles.service_layer.transactions import Work
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork as Uow

router = APIRouter(prefix="/v1/batch", tags=["batches"])
MakeWork = Callable[[Container, Principal, Any], Work]


def _vacancy(c: Container, caller: Principal, body: VacancyIn) -> Work:
    async def work(uow: Uow) -> StoredResponse:
        v = await vacancies.open_vacancy(uow, c.reference, caller, body.details())
        return representation(201, VacancyOut.of(v), f"/v1/vacancies/{v.id}")

    return work


def _profile(c: Container, caller: Principal, body: ProfileIn) -> Work:
    async def work(uow: Uow) -> StoredResponse:
        p = await profiles.publish_profile(
            uow, c.reference, caller, body.details(), body.consent.value(), body.reference
        )
        return representation(201, ProfileOut.of(p, caller), f"/v1/profiles/{p.id}")

    return work


def _offer(c: Container, caller: Principal, body: TrainingOfferIn) -> Work:
    async def work(uow: Uow) -> StoredResponse:
        o = await training_offers.publish_offer(uow, c.reference, caller, body.details())
        return representation(201, TrainingOfferOut.of(o), f"/v1/training-offers/{o.id}")

    return work


@dataclass(frozen=True, slots=True)
class _Kind:
    model: type[BaseModel]
    make_work: MakeWork


_KINDS = {
    BatchKind.VACANCIES: _Kind(VacancyIn, _vacancy),
    BatchKind.PROFILES: _Kind(ProfileIn, _profile),
    BatchKind.TRAINING_OFFERS: _Kind(TrainingOfferIn, _offer),
}


@router.post(
    "/{kind}", response_model=BatchOut, responses=problems(), summary="Create many at once"
)
async def create_batch(kind: BatchKind, body: BatchIn, caller: Caller, c: ContainerDep) -> BatchOut:
    """Each item is checked and stored as its single POST would be, in one transaction.

    Refused items are reported with problem details and leave the others untouched;
    an item whose key was used before is answered from its record, never stored twice.
    """
    spec, operation = _KINDS[kind], f"POST /v1/{kind.value}"
    results: dict[int, ItemResult] = {}
    todo: list[tuple[int, ItemWork]] = []
    for index, item in enumerate(body.items):
        try:
            parsed = spec.model.model_validate(item.body)
        except ValidationError as exc:
            results[index] = _refused(index, item.key, invalid_fields(exc.errors()))
            continue
        work = spec.make_work(c, caller, parsed)
        todo.append((index, (claim_of(caller, item.key, operation, parsed), work)))
    outcomes = await run_batch(c.uow, [w for _, w in todo])
    for (index, (claim, _)), outcome in zip(todo, outcomes, strict=True):
        results[index] = _result(index, claim.key, outcome)
    ordered = [results[i] for i in range(len(body.items))]
    return BatchOut(
        results=ordered,
        stored=sum(1 for r in ordered if r.status == 201 and not r.replayed),
        replayed=sum(1 for r in ordered if r.replayed),
        rejected=sum(1 for r in ordered if r.problem is not None),
    )


def _refused(index: int, key: str, problem: dict[str, Any]) -> ItemResult:
    return ItemResult(index=index, key=key, status=problem["status"], problem=problem)


def _result(index: int, key: str, outcome: Outcome) -> ItemResult:
    if outcome.error is not None:
        problem = describe(outcome.error)
        assert problem is not None, f"an item error without a problem: {outcome.error!r}"
        return _refused(index, key, problem)
    assert outcome.response is not None
    body = outcome.response.body
    return ItemResult(
        index=index, key=key, status=outcome.response.status, id=body.get("id"),
        replayed=outcome.replayed,
    )  # fmt: skip
