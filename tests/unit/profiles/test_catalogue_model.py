"""Training offers, subscriptions and bulletins as domain objects, without servers."""

from __future__ import annotations

import uuid

import pytest

from services.profiles.domain.bulletin import Bulletin, BulletinContent
from services.profiles.domain.errors import StateConflictError
from services.profiles.domain.subscription import (
    Subscription,
    SubscriptionStatus,
    SubscriptionTerms,
    new_signing_secret,
)
from services.profiles.domain.training import OfferDetails, OfferStatus, TrainingOffer
from shared.events import (
    Channel,
    EventKind,
    OrganisationKind,
    SubscriptionUpdatedV1,
    TaughtCompetence,
)

GMP = "http://data.europa.eu/esco/skill/13f22eb5-e3a8-405a-9d89-c8124d4a239a"


def test_an_offer_is_republished_whole_and_cannot_change_once_withdrawn() -> None:
    details = OfferDetails("GMP", (TaughtCompetence(competence_id=GMP, level=4),), 40, online=True)
    offer = TrainingOffer(uuid.uuid4(), 1, uuid.uuid4(), OfferStatus.ACTIVE, details)
    revised = offer.revised(OfferDetails("GMP II", details.competences, 60, postcode="06217"))
    event = revised.published()
    assert (event.version, event.duration_hours, event.postcode) == (2, 60, "06217")
    withdrawn, gone = revised.withdrawn()
    assert (withdrawn.status, gone.version) == (OfferStatus.WITHDRAWN, 3)
    with pytest.raises(StateConflictError):
        withdrawn.revised(details)


def test_every_subscription_event_with_state_carries_the_secret() -> None:
    terms = SubscriptionTerms(Channel.WEBHOOK, (EventKind.BULLETIN,), "https://h.example/x")
    secret = new_signing_secret()
    subscription = Subscription(
        uuid.uuid4(), 1, uuid.uuid4(), OrganisationKind.FIRM, SubscriptionStatus.ACTIVE,
        terms, secret,
    )  # fmt: skip
    assert subscription.created().signing_secret == secret
    revised, updated = subscription.revised(terms)
    assert isinstance(updated, SubscriptionUpdatedV1)
    assert (updated.version, updated.signing_secret) == (2, secret)
    cancelled, event = revised.cancelled()
    assert (cancelled.status, event.version) == (SubscriptionStatus.CANCELLED, 3)
    with pytest.raises(StateConflictError):
        cancelled.cancelled()
    assert new_signing_secret() != secret


def test_a_bulletin_event_carries_its_targets() -> None:
    content = BulletinContent(
        "Förderung", "Text", target_regions=("halle-saalekreis",),
        target_district_codes=("15002", "15088"),
        target_organisation_kinds=(OrganisationKind.HUB,),
    )  # fmt: skip
    event = Bulletin(uuid.uuid4(), 1, uuid.uuid4(), OrganisationKind.AGENCY, content).published()
    assert event.target_district_codes == ["15002", "15088"]
    assert event.target_organisation_kinds == [OrganisationKind.HUB]
