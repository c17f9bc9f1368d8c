"""Use cases of vacancies: open, read, list, revise, close or mark filled."""

from __future__ import annotations

from uuid import UUID, uuid4

from services.profiles.adapters.reference import Reference
from services.profiles.domain.access import Principal, require_found
from services.profiles.domain.errors import check_version
from services.profiles.domain.model import Vacancy, VacancyDetails, VacancyStatus
from services.profiles.domain.permissions import Action, Resource
from services.profiles.domain.queries import ListFilter, Page
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from services.profiles.service_layer.validation import check_vacancy
from shared.events import ClosingReason
from shared.topics import VACANCIES

R = Resource.VACANCIES


async def open_vacancy(
    uow: ProfilesUnitOfWork, reference: Reference, caller: Principal, details: VacancyDetails
) -> Vacancy:
    """Record a new vacancy and its VacancyOpened event in the caller's transaction."""
    caller.reach(R, Action.CREATE)
    district = check_vacancy(reference, details)
    vacancy = Vacancy(uuid4(), 1, caller.organisation_id, VacancyStatus.OPEN, details)
    await uow.vacancies.add(vacancy, district)
    uow.emit(VACANCIES, str(vacancy.id), vacancy.opened())
    return vacancy


async def get_vacancy(uow: ProfilesUnitOfWork, caller: Principal, vacancy_id: UUID) -> Vacancy:
    """One vacancy the caller may see."""
    found = await uow.vacancies.get(vacancy_id, caller, caller.reach(R, Action.READ))
    return require_found(found, "vacancy", vacancy_id)


async def list_vacancies(
    uow: ProfilesUnitOfWork, caller: Principal, filters: ListFilter
) -> Page[Vacancy]:
    """One page of the vacancies the caller may see."""
    rows = await uow.vacancies.list(caller, caller.reach(R, Action.READ), filters)
    more = len(rows) == filters.limit
    return Page([v for _, v in rows], rows[-1][0] if rows and more else None)


async def _for_change(
    uow: ProfilesUnitOfWork, caller: Principal, vacancy_id: UUID, if_match: int | None
) -> Vacancy:
    caller.reach(R, Action.UPDATE)
    if if_match is None:
        check_version(None, 0)
    found = await uow.vacancies.get(
        vacancy_id, caller, caller.reach(R, Action.READ), for_update=True
    )
    vacancy = require_found(found, "vacancy", vacancy_id)
    caller.check_write(R, Action.UPDATE, vacancy.organisation_id)
    check_version(if_match, vacancy.version)
    return vacancy


async def revise_vacancy(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    caller: Principal,
    vacancy_id: UUID,
    if_match: int | None,
    details: VacancyDetails,
) -> Vacancy:
    """Replace an open vacancy's details; VacancyUpdated carries the new state."""
    vacancy = await _for_change(uow, caller, vacancy_id, if_match)
    district = check_vacancy(reference, details)
    vacancy, event = vacancy.revised(details)
    await uow.vacancies.save(vacancy, district)
    uow.emit(VACANCIES, str(vacancy.id), event)
    return vacancy


async def close_vacancy(
    uow: ProfilesUnitOfWork,
    reference: Reference,
    caller: Principal,
    vacancy_id: UUID,
    if_match: int | None,
    reason: ClosingReason,
) -> Vacancy:
    """Close a vacancy or mark it filled; VacancyClosed retracts its matches downstream."""
    vacancy = await _for_change(uow, caller, vacancy_id, if_match)
    vacancy, event = vacancy.closed(reason)
    district = reference.postcodes.lookup(vacancy.details.postcode)
    await uow.vacancies.save(vacancy, district.district_code if district else None)
    uow.emit(VACANCIES, str(vacancy.id), event)
    return vacancy
