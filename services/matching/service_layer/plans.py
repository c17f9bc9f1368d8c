"""Turn an input event into the engine call that applies it and the side it stores."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.matching.domain.engine import Emitted, Engine
from services.matching.domain.state import Dirty
from services.matching.service_layer.translate import Translator
from shared.events import (
    EventPayload,
    ProfileErasedV1,
    ProfilePublishedV1,
    ProfileUpdatedV1,
    ProfileWithdrawnV1,
    TrainingOfferPublishedV1,
    TrainingOfferWithdrawnV1,
    VacancyClosedV1,
    VacancyOpenedV1,
    VacancyUpdatedV1,
)

ACCEPTED: tuple[type[EventPayload], ...] = (
    VacancyOpenedV1,
    VacancyUpdatedV1,
    VacancyClosedV1,
    ProfilePublishedV1,
    ProfileUpdatedV1,
    ProfileWithdrawnV1,
    ProfileErasedV1,
    TrainingOfferPublishedV1,
    TrainingOfferWithdrawnV1,
)
Step = Callable[[Dirty], Emitted | None]


@dataclass(frozen=True, slots=True)
class Plan:
    """One event, ready to apply: the engine step and the side row it leaves behind."""

    payload: EventPayload
    step: Step
    table: str  # "vacancies", "profiles" or "offers"
    # The event as stored (read back at start-up); None once closed, withdrawn or erased.
    body: dict[str, Any] | None

    @property
    def aggregate_id(self) -> UUID:
        """The vacancy, profile or offer the event is about."""
        return UUID(self.payload.subject())


def plan(en: Engine, tr: Translator, e: EventPayload) -> Plan:
    """The plan of one event; raises InvalidEventError (before any change) when it is unusable."""
    if isinstance(e, VacancyOpenedV1 | VacancyUpdatedV1):
        v = tr.vacancy(e)
        return Plan(e, lambda d: en.upsert_vacancy(v, d), "vacancies", _body(e))
    if isinstance(e, VacancyClosedV1):
        why = f"vacancy {e.reason}"
        closing: Step = lambda d: en.close_vacancy(e.vacancy_id, e.version, why, d)  # noqa: E731
        return Plan(e, closing, "vacancies", None)
    if isinstance(e, ProfilePublishedV1 | ProfileUpdatedV1):
        p = tr.profile(e)
        return Plan(e, lambda d: en.upsert_profile(p, d), "profiles", _body(e))
    if isinstance(e, ProfileWithdrawnV1 | ProfileErasedV1):
        why = "profile erased" if isinstance(e, ProfileErasedV1) else "profile withdrawn"
        removal: Step = lambda d: en.remove_profile(e.profile_id, e.version, why, d)  # noqa: E731
        return Plan(e, removal, "profiles", None)
    if isinstance(e, TrainingOfferPublishedV1):
        o = tr.offer(e)
        return Plan(e, lambda d: en.upsert_offer(o, d), "offers", _body(e))
    assert isinstance(e, TrainingOfferWithdrawnV1)
    return Plan(e, lambda d: en.remove_offer(e.offer_id, e.version, d), "offers", None)


def _body(e: EventPayload) -> dict[str, Any]:
    return e.model_dump(mode="json")
