"""Postings for the API from ESCO's occupation–skill relations and real postal codes.

Every posting lies in one hub's region, and most are made to fit something already in
the hub: a vacancy requires what a known profile holds (at or below its levels, at its
postcode), a staff release's person holds what a known vacancy requires. So nearly
every posting yields a match that the region's hub is told about, and its webhook
measures the whole path. Without partners (an empty hub) postings are plain synthetic
ones moved into the region.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bench.matching.synthetic import TODAY, Synthetic, postcodes
from shared.events import ProfilePublishedV1, VacancyOpenedV1
from shared.reference.geo import PostcodeDirectory
from shared.reference.regions import Regions

# Share of postings drawn fresh rather than made to fit a partner: keeps occupations varied.
FRESH = 0.25
CONSENT = {"given_at": "2026-01-10T09:30:00+01:00", "scope": "matching"}


def region_postcodes(directory: PostcodeDirectory, region_id: str) -> list[str]:
    """The postal codes whose district belongs to the region."""
    districts = Regions.load().districts_of([region_id])
    places = (directory.lookup(c) for c in postcodes(directory))
    found = [p.postcode for p in places if p is not None and p.district_code in districts]
    if not found:
        raise ValueError(f"no postal codes in region {region_id}")
    return found


@dataclass(frozen=True, slots=True)
class Posting:
    """One API call: path and body."""

    kind: str  # "vacancy" or "staff_release"
    path: str
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Side:
    """What a partner needs of a posted profile or vacancy: occupation, competences, place."""

    occupation: str
    competences: tuple[tuple[str, int], ...]  # (competence id, level or minimum level)
    postcode: str

    @classmethod
    def of_profile(cls, p: ProfilePublishedV1) -> Side:
        """The side of a profile event."""
        held = tuple(sorted((c.competence_id, c.level) for c in p.competences))
        return cls(p.occupations[0], held, p.postcode)

    @classmethod
    def of_vacancy(cls, v: VacancyOpenedV1) -> Side:
        """The side of a vacancy event."""
        required = tuple(sorted((r.competence_id, r.min_level) for r in v.competences))
        return cls(v.occupation, required, v.postcode)


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass
class Postings:
    """A deterministic stream of postings into one region; each posting becomes a partner."""

    synthetic: Synthetic
    codes: list[str]
    profiles: list[Side] = field(default_factory=list)  # partners for vacancies
    vacancies: list[Side] = field(default_factory=list)  # partners for people
    count: int = 0

    @property
    def rng(self) -> random.Random:
        """The synthetic stream's generator: one seed decides everything."""
        return self.synthetic.rng

    def next(self) -> Posting:
        """Alternately a vacancy and a staff release with one person."""
        self.count += 1
        if self.count % 2:
            return Posting("vacancy", "/v1/vacancies", self.vacancy_body())
        return Posting("staff_release", "/v1/staff-releases", self.release_body())

    def vacancy_body(self) -> dict[str, Any]:
        """A vacancy fitting a known profile, or a synthetic one in the region."""
        if not self.profiles or self.rng.random() < FRESH:
            v = self.synthetic.vacancy()
            body = {**vacancy_json(v), "postcode": self.rng.choice(self.codes)}
            self.vacancies.append(
                Side(v.occupation, Side.of_vacancy(v).competences, body["postcode"])
            )
            return body
        p = self.rng.choice(self.profiles)
        picked = self.rng.sample(p.competences, min(len(p.competences), self.rng.randint(2, 5)))
        wanted = tuple((c, max(1, min(level, self.rng.randint(2, 3)))) for c, level in picked)
        self.vacancies.append(Side(p.occupation, wanted, p.postcode))
        competences = [
            {"competence_id": c, "min_level": level, "importance": "must" if i < 2 else "should"}
            for i, (c, level) in enumerate(wanted)
        ]
        return {
            "occupation": p.occupation,
            "competences": competences,
            "postcode": p.postcode,
            "radius_km": 30,
            "start_date": _day(TODAY + timedelta(days=30)),
            "working_time": "any",
            "title": "Fachkraft (m/w/d)",
        }

    def release_body(self) -> dict[str, Any]:
        """A staff release of one person fitting a known vacancy (or a synthetic one)."""
        if self.vacancies and self.rng.random() >= FRESH:
            person = person_for(self.rng.choice(self.vacancies), self.rng)
        else:
            person = {
                **profile_json(self.synthetic.profile()),
                "postcode": self.rng.choice(self.codes),
            }
        held = tuple((c["competence_id"], c["level"]) for c in person["competences"])
        self.profiles.append(Side(person["occupations"][0], held, person["postcode"]))
        return {
            "release_date": _day(TODAY + timedelta(days=60)),
            "reason": "Standortverlagerung",
            "postcode": person["postcode"],
            "people": [{**person, "reference": f"P-{self.count}", "consent": CONSENT}],
        }


def person_for(v: Side, rng: random.Random) -> dict[str, Any]:
    """A person holding every requirement of `v` at or above its level, near its workplace."""
    return {
        "occupations": [v.occupation],
        "competences": [
            {"competence_id": c, "level": max(level, rng.randint(3, 5)), "evidence": "certified"}
            for c, level in v.competences
        ],
        "postcode": v.postcode,
        "radius_km": 30,
        "dqr_level": 6,
        "available_from": _day(TODAY),
        "working_time": "any",
    }


def profile_json(p: ProfilePublishedV1) -> dict[str, Any]:
    """A synthetic profile event as an API body (without consent and reference)."""
    return {
        "occupations": list(p.occupations),
        "competences": [
            {"competence_id": c.competence_id, "level": c.level, "evidence": str(c.evidence)}
            for c in p.competences
        ],
        "postcode": p.postcode,
        "radius_km": p.radius_km,
        "dqr_level": p.dqr_level,
        "available_from": _day(p.available_from),
        "working_time": str(p.working_time),
    }


def vacancy_json(v: VacancyOpenedV1) -> dict[str, Any]:
    """A synthetic vacancy event as an API body."""
    return {
        "occupation": v.occupation,
        "competences": [
            {
                "competence_id": r.competence_id,
                "min_level": r.min_level,
                "importance": str(r.importance),
            }
            for r in v.competences
        ],
        "postcode": v.postcode,
        "radius_km": v.radius_km,
        "min_dqr_level": v.min_dqr_level,
        "start_date": _day(v.start_date),
        "working_time": str(v.working_time),
    }
