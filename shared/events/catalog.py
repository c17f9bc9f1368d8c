"""Which event types travel on which topic: the map behind the AsyncAPI document and consumers."""

from __future__ import annotations

from shared import topics as t
from shared.events.bulletin import BulletinPublishedV1
from shared.events.envelope import EventPayload
from shared.events.match import MatchFoundV1, MatchRetractedV1, MatchUpdatedV1
from shared.events.notification import DeliveryOutcomeV1
from shared.events.profile import (
    ProfileErasedV1,
    ProfilePublishedV1,
    ProfileUpdatedV1,
    ProfileWithdrawnV1,
)
from shared.events.staff_release import (
    StaffReleaseAnnouncedV1,
    StaffReleaseUpdatedV1,
    StaffReleaseWithdrawnV1,
)
from shared.events.subscription import (
    SubscriptionCancelledV1,
    SubscriptionCreatedV1,
    SubscriptionUpdatedV1,
)
from shared.events.training import TrainingOfferPublishedV1, TrainingOfferWithdrawnV1
from shared.events.vacancy import VacancyClosedV1, VacancyOpenedV1, VacancyUpdatedV1

Events = tuple[type[EventPayload], ...]

VACANCY_EVENTS: Events = (VacancyOpenedV1, VacancyUpdatedV1, VacancyClosedV1)
PROFILE_EVENTS: Events = (
    ProfilePublishedV1, ProfileUpdatedV1, ProfileWithdrawnV1, ProfileErasedV1,
)  # fmt: skip
BULLETIN_EVENTS: Events = (BulletinPublishedV1,)

# Agencies publish the same versioned events the services use; on the inbox topics
# the aggregate ids are the agency's own (external) ids, mapped by the profiles service.
TOPIC_EVENTS: dict[str, Events] = {
    t.VACANCIES: VACANCY_EVENTS,
    t.PROFILES: PROFILE_EVENTS,
    t.STAFF_RELEASES: (StaffReleaseAnnouncedV1, StaffReleaseUpdatedV1, StaffReleaseWithdrawnV1),
    t.SUBSCRIPTIONS: (SubscriptionCreatedV1, SubscriptionUpdatedV1, SubscriptionCancelledV1),
    t.TRAINING_OFFERS: (TrainingOfferPublishedV1, TrainingOfferWithdrawnV1),
    t.BULLETINS: BULLETIN_EVENTS,
    t.MATCHES: (MatchFoundV1, MatchUpdatedV1, MatchRetractedV1),
    t.NOTIFICATIONS: (DeliveryOutcomeV1,),
    t.INBOX_VACANCIES: VACANCY_EVENTS,
    t.INBOX_PROFILES: (ProfilePublishedV1, ProfileUpdatedV1, ProfileErasedV1),
    t.INBOX_BULLETINS: BULLETIN_EVENTS,
}
