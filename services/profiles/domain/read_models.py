"""Read models projected from other services' events: matches and delivery outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from shared.events import DeliveryOutcomeV1, MatchFoundV1


@dataclass(frozen=True, slots=True)
class MatchPosition:
    """Where a page of matches (best first) continues: after this score and position."""

    score: float
    seq: int


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """Which matches a list asks for: one vacancy's, one profile's, or a region's."""

    vacancy_id: UUID | None = None
    profile_id: UUID | None = None
    districts: frozenset[str] | None = None
    after: MatchPosition | None = None
    limit: int = 50


@dataclass(frozen=True, slots=True)
class MatchView:
    """A pair as the last match event described it (score, components, gap, offers)."""

    state: MatchFoundV1
    updated_at: datetime
    position: MatchPosition


@dataclass(frozen=True, slots=True)
class DeliveryView:
    """The latest outcome of one delivery."""

    outcome: DeliveryOutcomeV1
    seq: int
