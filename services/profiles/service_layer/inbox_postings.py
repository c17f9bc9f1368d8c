"""Inbox handlers of vacancies and profiles: the API's use cases, keyed by external ids."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from uuid import UUID

from services.profiles.domain.model import Consent, ConsentScope, ProfileDetails, VacancyDetails
from services.profiles.service_layer import profiles, vacancies
from services.profiles.service_layer.inbox_apply import Delivery, Handler, Outcome, check_owner
from shared.events import (
    EventPayload,
    InvalidEventError,
    ProfileErasedV1,
    ProfilePublishedV1,
    ProfileUpdatedV1,
    VacancyClosedV1,
    VacancyOpenedV1,
    VacancyUpdatedV1,
)

VacancyState = VacancyOpenedV1 | VacancyUpdatedV1
ProfileState = ProfilePublishedV1 | ProfileUpdatedV1


def _vacancy_details(payload: VacancyState) -> VacancyDetails:
    fields = payload.model_dump(exclude={"vacancy_id", "version", "organisation_id"})
    fields["competences"] = tuple(payload.competences)
    return VacancyDetails(**fields)


def _profile_details(payload: ProfileState) -> ProfileDetails:
    return ProfileDetails(
        occupations=tuple(payload.occupations),
        competences=tuple(payload.competences),
        postcode=payload.postcode,
        radius_km=payload.radius_km,
        dqr_level=payload.dqr_level,
        available_from=payload.available_from,
        working_time=payload.working_time,
    )


def consent_of(delivery: Delivery) -> Consent:
    """The person's consent, from the extension attributes consentscope and consentgivenat."""
    extra = delivery.envelope.model_extra or {}
    try:
        scope = ConsentScope(str(extra["consentscope"]))
        given_at = datetime.fromisoformat(str(extra["consentgivenat"]))
    except (KeyError, ValueError) as exc:
        raise InvalidEventError(
            "no consent: a profile needs the attributes consentscope"
            " (matching | matching_and_agencies) and consentgivenat (RFC 3339)"
        ) from exc
    if given_at.tzinfo is None:
        raise InvalidEventError("no consent: consentgivenat needs a time zone")
    return Consent(given_at, scope)


async def _vacancy_opened(d: Delivery, payload: EventPayload) -> Outcome:
    assert isinstance(payload, VacancyOpenedV1)
    check_owner(d.sender, payload.organisation_id)

    async def create() -> UUID:
        details = _vacancy_details(payload)
        return (await vacancies.open_vacancy(d.uow, d.reference, d.sender, details)).id

    return await d.opening(payload.version, create)


async def _vacancy_updated(d: Delivery, payload: EventPayload) -> Outcome:
    assert isinstance(payload, VacancyUpdatedV1)
    check_owner(d.sender, payload.organisation_id)

    async def change(vacancy_id: UUID) -> None:
        current = await vacancies.get_vacancy(d.uow, d.sender, vacancy_id)
        details = _vacancy_details(payload)
        await vacancies.revise_vacancy(
            d.uow, d.reference, d.sender, vacancy_id, current.version, details
        )

    return await d.changing(payload.version, change)


async def _vacancy_closed(d: Delivery, payload: EventPayload) -> Outcome:
    assert isinstance(payload, VacancyClosedV1)

    async def change(vacancy_id: UUID) -> None:
        current = await vacancies.get_vacancy(d.uow, d.sender, vacancy_id)
        await vacancies.close_vacancy(
            d.uow, d.reference, d.sender, vacancy_id, current.version, payload.reason
        )

    return await d.changing(payload.version, change)


async def _profile_published(d: Delivery, payload: EventPayload) -> Outcome:
    assert isinstance(payload, ProfilePublishedV1)
    check_owner(d.sender, payload.organisation_id)
    consent = consent_of(d)

    async def create() -> UUID:
        details = _profile_details(payload)
        profile = await profiles.publish_profile(d.uow, d.reference, d.sender, details, consent)
        return profile.id

    return await d.opening(payload.version, create)


async def _profile_updated(d: Delivery, payload: EventPayload) -> Outcome:
    assert isinstance(payload, ProfileUpdatedV1)
    check_owner(d.sender, payload.organisation_id)

    async def change(profile_id: UUID) -> None:
        current = await profiles.get_profile(d.uow, d.sender, profile_id)
        await profiles.revise_profile(
            d.uow, d.reference, d.sender, profile_id, current.version,
            _profile_details(payload), current.reference,
        )  # fmt: skip

    return await d.changing(payload.version, change)


async def _profile_erased(d: Delivery, payload: EventPayload) -> Outcome:
    assert isinstance(payload, ProfileErasedV1)

    async def change(profile_id: UUID) -> None:
        await profiles.erase_profile(d.uow, d.sender, profile_id)

    return await d.changing(payload.version, change)


HANDLERS: Mapping[type[EventPayload], tuple[str, Handler]] = {
    VacancyOpenedV1: ("vacancy", _vacancy_opened),
    VacancyUpdatedV1: ("vacancy", _vacancy_updated),
    VacancyClosedV1: ("vacancy", _vacancy_closed),
    ProfilePublishedV1: ("profile", _profile_published),
    ProfileUpdatedV1: ("profile", _profile_updated),
    ProfileErasedV1: ("profile", _profile_erased),
}
