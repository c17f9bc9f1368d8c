"""What a regional hub's dashboard shows: its region, counts, matches and delivery health."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from services.profiles.domain.read_models import DeliveryView, MatchView
from services.profiles.domain.region_map import RegionMap


@dataclass(frozen=True, slots=True)
class DistrictCounts:
    """Open vacancies, announced staff releases and active profiles in one district."""

    vacancies: int = 0
    staff_releases: int = 0
    profiles: int = 0


@dataclass(frozen=True, slots=True)
class DeliveryHealth:
    """How the hub's own notifications fare: deliveries by status and the latest ones."""

    subscriptions: int
    by_status: dict[str, int]
    recent: list[DeliveryView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the dashboard draws for one hub, restricted to the hub's region."""

    region_id: str
    region_name: str
    state: str
    map: RegionMap
    counts: dict[str, DistrictCounts]
    matches: list[MatchView]
    training_matches: list[MatchView]
    deliveries: DeliveryHealth
    match_totals: tuple[int, int]  # active, of which need training
    vacancy_titles: dict[UUID, str]
