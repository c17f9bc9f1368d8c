"""Versioned event contracts shared by every service and by agencies on Kafka."""

from shared.events.bulletin import BulletinCategory, BulletinPublishedV1
from shared.events.common import (
    DqrLevel,
    Evidence,
    HeldCompetence,
    Importance,
    OrganisationKind,
    RequiredCompetence,
    TaughtCompetence,
    WorkingTime,
)
from shared.events.envelope import CONTENT_TYPE, CloudEvent, EventPayload
from shared.events.match import (
    BridgingOffer,
    CompetenceGap,
    MatchFoundV1,
    MatchRetractedV1,
    MatchUpdatedV1,
    ScoreComponent,
    match_key,
)
from shared.events.notification import DeliveryOutcomeV1, DeliveryStatus
from shared.events.profile import (
    ProfileErasedV1,
    ProfileOrigin,
    ProfilePublishedV1,
    ProfileUpdatedV1,
    ProfileWithdrawnV1,
)
from shared.events.registry import EVENT_TYPES, InvalidEventError, decode
from shared.events.staff_release import (
    StaffReleaseAnnouncedV1,
    StaffReleaseUpdatedV1,
    StaffReleaseWithdrawnV1,
)
from shared.events.subscription import (
    Channel,
    EventKind,
    SubscriptionCancelledV1,
    SubscriptionCreatedV1,
    SubscriptionUpdatedV1,
)
from shared.events.training import TrainingOfferPublishedV1, TrainingOfferWithdrawnV1
from shared.events.vacancy import (
    ClosingReason,
    VacancyClosedV1,
    VacancyOpenedV1,
    VacancyUpdatedV1,
)

__all__ = [
    "CONTENT_TYPE",
    "EVENT_TYPES",
    "BridgingOffer",
    "BulletinCategory",
    "BulletinPublishedV1",
    "Channel",
    "ClosingReason",
    "CloudEvent",
    "CompetenceGap",
    "DeliveryOutcomeV1",
    "DeliveryStatus",
    "DqrLevel",
    "EventKind",
    "EventPayload",
    "Evidence",
    "HeldCompetence",
    "Importance",
    "InvalidEventError",
    "MatchFoundV1",
    "MatchRetractedV1",
    "MatchUpdatedV1",
    "OrganisationKind",
    "ProfileErasedV1",
    "ProfileOrigin",
    "ProfilePublishedV1",
    "ProfileUpdatedV1",
    "ProfileWithdrawnV1",
    "RequiredCompetence",
    "ScoreComponent",
    "StaffReleaseAnnouncedV1",
    "StaffReleaseUpdatedV1",
    "StaffReleaseWithdrawnV1",
    "SubscriptionCancelledV1",
    "SubscriptionCreatedV1",
    "SubscriptionUpdatedV1",
    "TaughtCompetence",
    "TrainingOfferPublishedV1",
    "TrainingOfferWithdrawnV1",
    "VacancyClosedV1",
    "VacancyOpenedV1",
    "VacancyUpdatedV1",
    "WorkingTime",
    "decode",
    "match_key",
]
