"""The matcher's in-memory state: both sides with their indexes, vacancy rows, matches."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from services.matching.domain.index import CompetenceIndex
from services.matching.domain.model import Profile, Vacancy
from services.matching.domain.offers import OfferCatalogue


@dataclass(slots=True)
class Row:
    """A vacancy's best eligible profiles, best first: top k plus a reserve for refills."""

    entries: list[tuple[float, UUID]] = field(default_factory=list)
    # True when more eligible profiles may exist than the row holds.
    truncated: bool = False


@dataclass(slots=True)
class MatchRecord:
    """What was last emitted for a pair."""

    version: int
    fingerprint: str
    active: bool


@dataclass(slots=True)
class Dirty:
    """Keys changed by one event: what must be written back."""

    vacancies: set[UUID] = field(default_factory=set)
    profiles: set[UUID] = field(default_factory=set)
    offers: set[UUID] = field(default_factory=set)
    rows: set[UUID] = field(default_factory=set)
    matches: set[tuple[UUID, UUID]] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.vacancies or self.profiles or self.offers or self.rows or self.matches)


class Slots:
    """Stable small integers for ids, as the index stores them."""

    def __init__(self) -> None:
        self.ids: list[UUID] = []
        self._slot: dict[UUID, int] = {}

    def of(self, key: UUID) -> int:
        """The slot of an id, assigned on first use."""
        slot = self._slot.get(key)
        if slot is None:
            slot = self._slot[key] = len(self.ids)
            self.ids.append(key)
        return slot


@dataclass
class State:
    """Everything the engine knows; versions also remember closed and erased aggregates."""

    vacancies: dict[UUID, Vacancy] = field(default_factory=dict)
    profiles: dict[UUID, Profile] = field(default_factory=dict)
    offers: OfferCatalogue = field(default_factory=OfferCatalogue)
    vacancy_versions: dict[UUID, int] = field(default_factory=dict)
    profile_versions: dict[UUID, int] = field(default_factory=dict)
    offer_versions: dict[UUID, int] = field(default_factory=dict)
    vacancy_index: CompetenceIndex = field(default_factory=CompetenceIndex)
    profile_index: CompetenceIndex = field(default_factory=CompetenceIndex)
    vacancy_slots: Slots = field(default_factory=Slots)
    profile_slots: Slots = field(default_factory=Slots)
    # The stored profile of each slot (None once dropped): the scan reads profiles by
    # the index's slots, and a list index is cheaper than hashing a UUID.
    profile_at: list[Profile | None] = field(default_factory=list)
    rows: dict[UUID, Row] = field(default_factory=dict)
    # Profile → {vacancy: the profile's position in that vacancy's row}: a profile's
    # rank in a row is a lookup, not a walk along the row comparing UUIDs.
    in_rows: defaultdict[UUID, dict[UUID, int]] = field(default_factory=lambda: defaultdict(dict))
    matches: dict[tuple[UUID, UUID], MatchRecord] = field(default_factory=dict)
    active_by_profile: defaultdict[UUID, set[UUID]] = field(
        default_factory=lambda: defaultdict(set)
    )

    def put_vacancy(self, v: Vacancy) -> None:
        """Store (or replace) an open vacancy and index it."""
        self.drop_vacancy(v.id)
        self.vacancies[v.id] = v
        self.vacancy_index.add(self.vacancy_slots.of(v.id), v.competence_ids, v.lat, v.lon)

    def drop_vacancy(self, vacancy_id: UUID) -> Vacancy | None:
        """Remove an open vacancy from the state and the index."""
        old = self.vacancies.pop(vacancy_id, None)
        if old is not None:
            slot = self.vacancy_slots.of(vacancy_id)
            self.vacancy_index.remove(slot, old.competence_ids, old.lat, old.lon)
        return old

    def put_profile(self, p: Profile) -> None:
        """Store (or replace) a profile and index it."""
        self.drop_profile(p.id)
        self.profiles[p.id] = p
        slot = self.profile_slots.of(p.id)
        if slot == len(self.profile_at):
            self.profile_at.append(p)
        self.profile_at[slot] = p
        self.profile_index.add(slot, p.competence_ids, p.lat, p.lon)

    def drop_profile(self, profile_id: UUID) -> Profile | None:
        """Remove a profile from the state and the index."""
        old = self.profiles.pop(profile_id, None)
        if old is not None:
            slot = self.profile_slots.of(profile_id)
            self.profile_at[slot] = None
            self.profile_index.remove(slot, old.competence_ids, old.lat, old.lon)
        return old

    def set_row(self, vacancy_id: UUID, row: Row | None) -> None:
        """Replace a vacancy's row and the reverse map."""
        old = self.rows.pop(vacancy_id, None)
        for _, pid in old.entries if old else ():
            positions = self.in_rows[pid]
            del positions[vacancy_id]
            if not positions:
                del self.in_rows[pid]
        if row is not None:
            self.rows[vacancy_id] = row
            for position, (_, pid) in enumerate(row.entries):
                self.in_rows[pid][vacancy_id] = position

    def set_match(self, vacancy_id: UUID, profile_id: UUID, record: MatchRecord | None) -> None:
        """Replace a pair's record and the active-by-profile map."""
        key = (vacancy_id, profile_id)
        if record is None:
            self.matches.pop(key, None)
        else:
            self.matches[key] = record
        active = self.active_by_profile[profile_id]
        if record is not None and record.active:
            active.add(vacancy_id)
        else:
            active.discard(vacancy_id)
        if not active:
            del self.active_by_profile[profile_id]
