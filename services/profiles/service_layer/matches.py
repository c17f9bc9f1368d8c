"""The matches read model: project hub.matches.v1, answer who may see which pair."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from uuid import UUID

from services.profiles.adapters.matches import MatchRepository
from services.profiles.domain.access import Principal
from services.profiles.domain.permissions import Action, Resource
from services.profiles.domain.read_models import MatchQuery, MatchView
from services.profiles.service_layer import profiles, vacancies
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.events import EventPayload, MatchFoundV1, MatchRetractedV1, MatchUpdatedV1

R = Resource.MATCHES
ACCEPTED = (MatchFoundV1, MatchUpdatedV1, MatchRetractedV1)


def _matches(uow: ProfilesUnitOfWork) -> MatchRepository:
    return MatchRepository(uow.conn)


async def project(uow: ProfilesUnitOfWork, event: EventPayload) -> bool:
    """Apply one match event; False when its version is not newer than the stored one."""
    assert isinstance(event, ACCEPTED), f"not a match event: {type(event).__name__}"
    return await _matches(uow).apply(event)


async def project_all(uow: ProfilesUnitOfWork, events: Sequence[EventPayload]) -> None:
    """Apply match events in order, as `project` would one by one."""
    found = [e for e in events if isinstance(e, ACCEPTED)]
    assert len(found) == len(events), "not only match events"
    await _matches(uow).apply_all(found)


async def list_matches(
    uow: ProfilesUnitOfWork, caller: Principal, query: MatchQuery
) -> list[MatchView]:
    """One page of the matches the caller may see, best first."""
    return await _matches(uow).list(caller, caller.reach(R, Action.READ), query)


async def matches_of_vacancy(
    uow: ProfilesUnitOfWork, caller: Principal, vacancy_id: UUID, query: MatchQuery
) -> list[MatchView]:
    """A vacancy's matches; the vacancy itself must be visible to the caller (else 404)."""
    caller.reach(R, Action.READ)
    await vacancies.get_vacancy(uow, caller, vacancy_id)
    return await list_matches(uow, caller, dataclasses.replace(query, vacancy_id=vacancy_id))


async def matches_of_profile(
    uow: ProfilesUnitOfWork, caller: Principal, profile_id: UUID, query: MatchQuery
) -> list[MatchView]:
    """A profile's matches; the profile itself must be visible to the caller (else 404)."""
    caller.reach(R, Action.READ)
    await profiles.get_profile(uow, caller, profile_id)
    return await list_matches(uow, caller, dataclasses.replace(query, profile_id=profile_id))
