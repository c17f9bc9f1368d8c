"""The permission table, API keys and the pseudonymity guard, without servers."""

from __future__ import annotations

import uuid

import pytest

from services.profiles.domain.access import Principal
from services.profiles.domain.errors import ContactDataError, ForbiddenError
from services.profiles.domain.keys import digest, looks_like_key, new_key
from services.profiles.domain.permissions import PERMISSIONS, Action, Reach, Resource
from services.profiles.domain.privacy import refuse_contact_data
from shared.events import OrganisationKind as Kind


def test_only_administrators_reach_beyond_their_own_with_a_change() -> None:
    for (kind, _), actions in PERMISSIONS.items():
        for action, reach in actions.items():
            if action is not Action.READ:
                assert reach is Reach.OWN or (kind, action, reach) == (
                    Kind.ADMIN, Action.ERASE, Reach.ALL,
                )  # fmt: skip


def test_associations_and_training_providers_post_only_catalogue_and_bulletins() -> None:
    postings = {Resource.VACANCIES, Resource.STAFF_RELEASES, Resource.PROFILES}
    for kind in (Kind.ASSOCIATION, Kind.TRAINING_PROVIDER):
        assert not {resource for k, resource in PERMISSIONS if k is kind} & postings
    assert PERMISSIONS[(Kind.TRAINING_PROVIDER, Resource.TRAINING_OFFERS)][Action.CREATE] is (
        Reach.OWN
    )
    assert Action.CREATE not in PERMISSIONS[(Kind.TRAINING_PROVIDER, Resource.BULLETINS)]


def test_a_principal_refuses_what_its_kind_may_not_and_others_property() -> None:
    me, other = uuid.uuid4(), uuid.uuid4()
    hub = Principal(me, Kind.HUB, uuid.uuid4())
    with pytest.raises(ForbiddenError):
        hub.reach(Resource.VACANCIES, Action.CREATE)
    agency = Principal(me, Kind.AGENCY, uuid.uuid4())
    agency.check_write(Resource.VACANCIES, Action.UPDATE, me)
    with pytest.raises(ForbiddenError):
        agency.check_write(Resource.VACANCIES, Action.UPDATE, other)
    Principal(me, Kind.ADMIN, uuid.uuid4()).check_write(Resource.PROFILES, Action.ERASE, other)


def test_keys_are_random_and_their_digest_depends_on_the_pepper() -> None:
    first, second = new_key(b"pepper"), new_key(b"pepper")
    assert first.token != second.token
    assert looks_like_key(first.token)
    assert len(first.token) > 40
    assert first.digest == digest(b"pepper", first.token)
    assert first.digest != digest(b"other pepper", first.token)
    assert first.token.startswith(first.prefix)
    assert not looks_like_key("Basic abc")


@pytest.mark.parametrize(
    "text",
    ["mail an erika@example.org", "Tel. 0345 1234567", "+49 (345) 123-4567", "0171/2345678"],
)
def test_contact_data_is_refused(text: str) -> None:
    with pytest.raises(ContactDataError) as refused:
        refuse_contact_data("reason", text)
    assert refused.value.field == "reason"


@pytest.mark.parametrize(
    "text",
    ["EMP-2024-00123", "P-0042", "Schließung zum 01.06.2026", "Kostenstelle 4711"],
)
def test_internal_codes_and_dates_pass(text: str) -> None:
    refuse_contact_data("reference", text)
