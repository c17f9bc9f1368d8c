"""What the matcher keeps of each side and of the training catalogue."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from uuid import UUID

from shared.events import Evidence, Importance, WorkingTime

# How much a level counts by what it rests on: a measured or certified level is
# trusted fully, an employer's attestation a little less, a self-assessment least.
EVIDENCE_FACTOR: dict[Evidence, float] = {
    Evidence.MEASURED: 1.0,
    Evidence.CERTIFIED: 1.0,
    Evidence.EMPLOYER_ATTESTED: 0.9,
    Evidence.SELF_ASSESSED: 0.8,
}


@dataclass(frozen=True, slots=True)
class Requirement:
    """One required competence of a vacancy."""

    competence_id: str
    min_level: int
    importance: Importance


@dataclass(frozen=True, slots=True)
class Held:
    """A competence on a profile: its level and how far the level is trusted."""

    level: int
    evidence: Evidence


_EVIDENCE = tuple(Evidence)
# Every (level, evidence) pair once: a profile stores a byte per competence that picks one.
_HELD = tuple(Held(level, e) for level in range(1, 6) for e in _EVIDENCE)


class HeldCompetences(Mapping[str, Held]):
    """A profile's competences, compact: a tuple of ids and one byte of level/evidence each.

    A million profiles with twenty competences each would spend most of their memory
    on dicts; a tuple holding the (interned) ids and a bytes object take a third.
    """

    __slots__ = ("_codes", "_ids")

    def __init__(self, held: Mapping[str, Held]) -> None:
        self._ids = tuple(held)
        self._codes = bytes(
            (h.level - 1) * len(_EVIDENCE) + _EVIDENCE.index(h.evidence) for h in held.values()
        )

    def get(self, competence_id: str, default: Held | None = None) -> Held | None:  # type: ignore[override]
        """The held level and evidence, or `default`."""
        if competence_id not in self._ids:
            return default
        return _HELD[self._codes[self._ids.index(competence_id)]]

    def __getitem__(self, competence_id: str) -> Held:
        held = self.get(competence_id)
        if held is None:
            raise KeyError(competence_id)
        return held

    def __contains__(self, competence_id: object) -> bool:
        return competence_id in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> tuple[str, ...]:
        """The held competence ids, in the order given."""
        return self._ids

    def __repr__(self) -> str:
        return f"HeldCompetences({dict(self)!r})"


@dataclass(frozen=True, slots=True)
class Vacancy:
    """A vacancy as the matcher sees it."""

    id: UUID
    version: int
    requirements: tuple[Requirement, ...]
    lat: float
    lon: float
    radius_km: int
    occupation: str
    district_code: str | None = None
    organisation_id: UUID | None = None
    min_dqr_level: int | None = None
    start_day: int | None = None  # date ordinal
    working_time: WorkingTime | None = None

    @property
    def competence_ids(self) -> tuple[str, ...]:
        """Ids of the required competences (retrieval keys)."""
        return tuple(r.competence_id for r in self.requirements)


@dataclass(frozen=True, slots=True)
class Profile:
    """A profile as the matcher sees it."""

    id: UUID
    version: int
    competences: Mapping[str, Held]
    lat: float
    lon: float
    radius_km: int
    district_code: str | None = None
    organisation_id: UUID | None = None
    dqr_level: int | None = None
    available_day: int | None = None  # date ordinal
    working_time: WorkingTime | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.competences, HeldCompetences):
            object.__setattr__(self, "competences", HeldCompetences(self.competences))

    @property
    def competence_ids(self) -> tuple[str, ...]:
        """Ids of the held competences (retrieval keys)."""
        held = self.competences
        return held.ids if isinstance(held, HeldCompetences) else tuple(held)


@dataclass(frozen=True, slots=True)
class Offer:
    """A training offer: what it teaches to which level, where, how long."""

    id: UUID
    version: int
    title: str
    teaches: dict[str, int]
    duration_hours: int
    dqr_level: int | None
    postcode: str | None
    lat: float | None
    lon: float | None
    online: bool
