"""Versions and life cycles of vacancies, profiles and staff releases."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from services.profiles.domain.errors import (
    PreconditionRequiredError,
    StateConflictError,
    VersionMismatchError,
    check_version,
)
from services.profiles.domain.model import (
    Consent,
    ConsentScope,
    Profile,
    ProfileDetails,
    ProfileStatus,
    Vacancy,
    VacancyDetails,
    VacancyStatus,
)
from services.profiles.domain.staff_release import ReleaseStatus, ReleaseTerms, StaffRelease
from shared.events import ClosingReason, HeldCompetence, ProfileOrigin, RequiredCompetence

SKILL = "http://data.europa.eu/esco/skill/13f22eb5-e3a8-405a-9d89-c8124d4a239a"


def vacancy() -> Vacancy:
    details = VacancyDetails(
        "41312", (RequiredCompetence(competence_id=SKILL, min_level=3),), "06237", 40
    )
    return Vacancy(uuid.uuid4(), 1, uuid.uuid4(), VacancyStatus.OPEN, details)


def test_each_change_of_a_vacancy_bumps_the_version_and_its_event_says_so() -> None:
    opened = vacancy()
    revised, updated = opened.revised(opened.details)
    closed, event = revised.closed(ClosingReason.FILLED)
    assert (updated.version, event.version, closed.version) == (2, 3, 3)
    assert closed.status is VacancyStatus.FILLED
    assert updated.organisation_id == opened.organisation_id
    with pytest.raises(StateConflictError):
        closed.revised(opened.details)
    with pytest.raises(StateConflictError):
        closed.closed(ClosingReason.CLOSED)


def test_a_withdrawn_profile_cannot_be_revised() -> None:
    details = ProfileDetails(
        ("41312",), (HeldCompetence(competence_id=SKILL, level=3),), "06258", 30
    )
    consent = Consent(datetime(2026, 1, 10, tzinfo=UTC), ConsentScope.MATCHING)
    profile = Profile(
        uuid.uuid4(),
        1,
        uuid.uuid4(),
        ProfileStatus.ACTIVE,
        details,
        ProfileOrigin.JOB_SEEKER,
        consent,
    )
    withdrawn, event = profile.withdrawn()
    assert (withdrawn.version, event.version) == (2, 2)
    with pytest.raises(StateConflictError):
        withdrawn.revised(details, None)
    assert "reference" not in profile.published().model_dump()


def test_a_staff_release_is_withdrawn_once() -> None:
    terms = ReleaseTerms(date(2026, 6, 30), "06237")
    release = StaffRelease(uuid.uuid4(), 1, uuid.uuid4(), ReleaseStatus.ANNOUNCED, terms, ())
    withdrawn, event = release.withdrawn(erased=True)
    assert (withdrawn.version, event.erased) == (2, True)
    with pytest.raises(StateConflictError):
        withdrawn.withdrawn(erased=False)


def test_if_match_is_required_and_must_equal_the_version() -> None:
    check_version(3, 3)
    with pytest.raises(PreconditionRequiredError):
        check_version(None, 3)
    with pytest.raises(VersionMismatchError):
        check_version(2, 3)
