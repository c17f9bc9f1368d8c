"""Small builders for the matcher's domain objects in unit tests."""

from __future__ import annotations

import functools
from datetime import date
from uuid import UUID, uuid4

from services.matching.domain.engine import Engine
from services.matching.domain.model import Held, Offer, Profile, Requirement, Vacancy
from services.matching.domain.policy import Policy
from services.matching.domain.related import RelatedCompetences
from services.matching.domain.state import Dirty
from shared.events import EventPayload, Evidence, Importance, WorkingTime
from shared.reference.geo import PostcodeDirectory

GMP = "http://data.europa.eu/esco/skill/gmp"
PLANT = "http://data.europa.eu/esco/skill/operate-chemical-plant"
SAFETY = "http://data.europa.eu/esco/skill/process-safety"


@functools.cache
def postcodes() -> PostcodeDirectory:
    return PostcodeDirectory.load()


def where(postcode: str) -> tuple[float, float, str | None]:
    place = postcodes().lookup(postcode)
    assert place is not None
    return place.lat, place.lon, place.district_code


def vacancy(
    reqs: list[tuple[str, int, Importance]],
    postcode: str = "06237",
    radius: int = 40,
    *,
    vid: UUID | None = None,
    version: int = 1,
    working_time: WorkingTime | None = None,
    start: date | None = None,
    min_dqr: int | None = None,
) -> Vacancy:
    lat, lon, district = where(postcode)
    return Vacancy(
        id=vid or uuid4(),
        version=version,
        requirements=tuple(Requirement(c, lvl, imp) for c, lvl, imp in reqs),
        lat=lat,
        lon=lon,
        radius_km=radius,
        occupation="http://data.europa.eu/esco/occupation/chemical-production-operator",
        district_code=district,
        organisation_id=uuid4(),
        min_dqr_level=min_dqr,
        start_day=start.toordinal() if start else None,
        working_time=working_time,
    )


def profile(
    held: dict[str, int | tuple[int, Evidence]],
    postcode: str = "06258",
    radius: int = 30,
    *,
    pid: UUID | None = None,
    version: int = 1,
    working_time: WorkingTime | None = None,
    available: date | None = None,
    dqr: int | None = None,
) -> Profile:
    lat, lon, district = where(postcode)
    comps = {
        c: Held(*(x if isinstance(x, tuple) else (x, Evidence.CERTIFIED))) for c, x in held.items()
    }
    return Profile(
        id=pid or uuid4(),
        version=version,
        competences=comps,
        lat=lat,
        lon=lon,
        radius_km=radius,
        district_code=district,
        organisation_id=uuid4(),
        dqr_level=dqr,
        available_day=available.toordinal() if available else None,
        working_time=working_time,
    )


def offer(competence: str, level: int, *, online: bool = True, hours: int = 80) -> Offer:
    return Offer(
        id=uuid4(),
        version=1,
        title=f"Course in {competence.rsplit('/', 1)[-1]}",
        teaches={competence: level},
        duration_hours=hours,
        dqr_level=4,
        postcode=None,
        lat=None,
        lon=None,
        online=online,
    )


def engine(policy: Policy | None = None, related: RelatedCompetences | None = None) -> Engine:
    return Engine(policy or Policy(), related or RelatedCompetences())


def types(emitted: list[tuple[UUID, UUID, EventPayload]] | None) -> list[str]:
    assert emitted is not None
    return [e.event_type.rsplit(".", 2)[-2] for _, _, e in emitted]


def dirty() -> Dirty:
    return Dirty()
