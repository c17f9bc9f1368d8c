"""Versioned event contracts shared by every service and by agencies on Kafka."""

from shared.events.common import (
    Evidence,
    HeldCompetence,
    Importance,
    RequiredCompetence,
)
from shared.events.envelope import CONTENT_TYPE, CloudEvent, EventPayload
from shared.events.match import CompetenceGap, MatchFoundV1, ScoreComponent, match_key
from shared.events.profile import ProfilePublishedV1
from shared.events.registry import EVENT_TYPES, InvalidEventError, decode
from shared.events.vacancy import VacancyOpenedV1

__all__ = [
    "CONTENT_TYPE",
    "EVENT_TYPES",
    "CloudEvent",
    "CompetenceGap",
    "EventPayload",
    "Evidence",
    "HeldCompetence",
    "Importance",
    "InvalidEventError",
    "MatchFoundV1",
    "ProfilePublishedV1",
    "RequiredCompetence",
    "ScoreComponent",
    "VacancyOpenedV1",
    "decode",
    "match_key",
]
