"""Body of GET /v1/dashboard: a regional hub's region, counts, matches and delivery health."""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.profiles.domain.dashboard import DistrictCounts, Overview
from services.profiles.domain.read_models import MatchView
from services.profiles.domain.region_map import DistrictShape
from services.profiles.entrypoints.http.schemas.deliveries import DeliveryOut
from services.profiles.entrypoints.http.schemas.matches import MatchOut
from shared.reference.competences import CompetenceCatalogue
from shared.reference.occupations import OccupationCatalogue


class Counts(BaseModel):
    """Live postings: open vacancies, announced staff releases, active profiles."""

    vacancies: int
    staff_releases: int
    profiles: int

    @classmethod
    def of(cls, counts: DistrictCounts) -> Counts:
        """From the domain's counts."""
        return cls(
            vacancies=counts.vacancies,
            staff_releases=counts.staff_releases,
            profiles=counts.profiles,
        )


class DistrictOut(BaseModel):
    """A district in drawing units: outline (hull of postal-code centres), dots, label anchor."""

    code: str = Field(description="Official 5-digit district key.")
    name: str
    outline: list[tuple[float, float]]
    dots: list[tuple[float, float]] = Field(description="Centres of the district's postal codes.")
    centre: tuple[float, float]
    counts: Counts

    @classmethod
    def of(cls, shape: DistrictShape, counts: DistrictCounts) -> DistrictOut:
        """A shape with its counts."""
        return cls(
            code=shape.code, name=shape.name, outline=list(shape.outline),
            dots=list(shape.dots), centre=shape.centre, counts=Counts.of(counts),
        )  # fmt: skip


class RegionOut(BaseModel):
    """The hub's region and its drawing."""

    id: str
    name: str
    state: str
    width: float = Field(description="Width of the drawing (SVG viewBox units).")
    height: float = Field(description="Height of the drawing.")
    districts: list[DistrictOut]


class DeliveryHealthOut(BaseModel):
    """The hub's own notifications: active subscriptions, deliveries by status, latest ones."""

    subscriptions: int
    delivered: int
    retrying: int
    parked: int
    recent: list[DeliveryOut]


class MatchTotals(BaseModel):
    """How many pairs of the region match now, and how many of them need training."""

    active: int
    requires_training: int


class DashboardOut(BaseModel):
    """Everything the dashboard page shows, restricted to the hub's region."""

    region: RegionOut
    totals: Counts
    matches: list[MatchOut] = Field(description="The region's latest matches.")
    training_matches: list[MatchOut] = Field(description="Latest matches that need training.")
    deliveries: DeliveryHealthOut
    match_totals: MatchTotals
    vacancy_titles: dict[str, str] = Field(
        description="Advertised titles of the matched vacancies that lie in the region, by id."
    )
    labels: dict[str, str] = Field(
        description="German labels of the competences and occupations the matches name."
    )

    @classmethod
    def of(cls, o: Overview) -> DashboardOut:
        """The page's data from the overview."""
        none = DistrictCounts()
        districts = [DistrictOut.of(d, o.counts.get(d.code, none)) for d in o.map.districts]
        totals = Counts(
            vacancies=sum(d.counts.vacancies for d in districts),
            staff_releases=sum(d.counts.staff_releases for d in districts),
            profiles=sum(d.counts.profiles for d in districts),
        )
        health = o.deliveries
        status = health.by_status
        return cls(
            region=RegionOut(
                id=o.region_id, name=o.region_name, state=o.state,
                width=o.map.width, height=o.map.height, districts=districts,
            ),
            totals=totals,
            matches=[MatchOut.of(v) for v in o.matches],
            training_matches=[MatchOut.of(v) for v in o.training_matches],
            deliveries=DeliveryHealthOut(
                subscriptions=health.subscriptions, delivered=status.get("delivered", 0),
                retrying=status.get("retrying", 0), parked=status.get("parked", 0),
                recent=[DeliveryOut.of(d) for d in health.recent],
            ),
            match_totals=MatchTotals(
                active=o.match_totals[0], requires_training=o.match_totals[1]
            ),
            vacancy_titles={str(k): v for k, v in o.vacancy_titles.items()},
            labels=labels([*o.matches, *o.training_matches]),
        )  # fmt: skip


def labels(views: list[MatchView]) -> dict[str, str]:
    """German labels (English where ESCO has none) of what the matches refer to."""
    competences, occupations = CompetenceCatalogue.load(), OccupationCatalogue.load()
    found: dict[str, str] = {}
    for view in views:
        state = view.state
        ids = [g.competence_id for g in state.gap]
        ids += [c for offer in state.offers for c in offer.closes]
        for id_ in ids:
            if (competence := competences.get(id_)) is not None:
                found[id_] = competence.label
        if state.occupation and (occupation := occupations.get(state.occupation)) is not None:
            found[state.occupation] = occupation.title
    return found
