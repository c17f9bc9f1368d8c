"""The matching engine: applies one input change and returns the match events it causes.

Every change re-ranks only what it touches: a vacancy recomputes its own row; a
profile adjusts the rows of the vacancies it is (or was) eligible for; an offer
recomputes the rows of vacancies requiring what it teaches. Then the affected
profiles are reconciled and only pairs whose outcome changed produce an event.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from uuid import UUID

from services.matching.domain.model import Offer, Profile, Vacancy
from services.matching.domain.policy import Policy
from services.matching.domain.ranking import Ranker, rank_key, row_capacity
from services.matching.domain.reconcile import Context, Reconciler
from services.matching.domain.scoring import Related
from services.matching.domain.state import Dirty, State
from shared.events import EventPayload

Emitted = list[tuple[UUID, UUID, EventPayload]]


class Engine:
    """State plus the rules that keep rows and matches current."""

    def __init__(self, policy: Policy, related: Related, state: State | None = None) -> None:
        self.state = state or State()
        self.ranker = Ranker(self.state, policy, related)
        self.reconciler = Reconciler(self.ranker)

    # -- vacancies -------------------------------------------------------------
    def upsert_vacancy(self, v: Vacancy, dirty: Dirty) -> Emitted | None:
        """A vacancy opened or changed; None when the version is stale or repeated."""
        self.ranker.forget()
        if self.state.vacancy_versions.get(v.id, 0) >= v.version:
            return None
        self.state.vacancy_versions[v.id] = v.version
        self.state.put_vacancy(v)
        dirty.vacancies.add(v.id)
        return self._refresh([v.id], Context(touched_vacancies={v.id}), dirty)

    def close_vacancy(
        self, vacancy_id: UUID, version: int, reason: str, dirty: Dirty
    ) -> Emitted | None:
        """A vacancy closed: its matches are retracted."""
        self.ranker.forget()
        if self.state.vacancy_versions.get(vacancy_id, 0) >= version:
            return None
        self.state.vacancy_versions[vacancy_id] = version
        dirty.vacancies.add(vacancy_id)
        old = self.state.drop_vacancy(vacancy_id)
        if old is None:
            return []
        affected = self.reconciler.prefix(vacancy_id)
        self.state.set_row(vacancy_id, None)
        dirty.rows.add(vacancy_id)
        ctx = Context(gone_vacancies={vacancy_id: (old, reason)})
        return self.reconciler.run(affected, ctx, dirty)

    def _refresh(self, vacancy_ids: Iterable[UUID], ctx: Context, dirty: Dirty) -> Emitted:
        affected: set[UUID] = set()
        for vid in vacancy_ids:
            affected.update(self.reconciler.prefix(vid))
            self.state.set_row(vid, self.ranker.full_row(self.state.vacancies[vid]))
            affected.update(self.reconciler.prefix(vid))
            dirty.rows.add(vid)
        return self.reconciler.run(affected, ctx, dirty)

    # -- profiles --------------------------------------------------------------
    def upsert_profile(self, p: Profile, dirty: Dirty) -> Emitted | None:
        """A profile published or changed; None when stale or repeated."""
        self.ranker.forget()
        if self.state.profile_versions.get(p.id, 0) >= p.version:
            return None
        self.state.profile_versions[p.id] = p.version
        self.state.put_profile(p)
        dirty.profiles.add(p.id)
        scores = self.ranker.candidate_vacancies(p)
        ctx = Context(touched_profiles={p.id})
        return self._adjust(p.id, scores, ctx, dirty)

    def remove_profile(
        self, profile_id: UUID, version: int, reason: str, dirty: Dirty
    ) -> Emitted | None:
        """A profile was withdrawn or erased: its matches are retracted."""
        self.ranker.forget()
        if self.state.profile_versions.get(profile_id, 0) >= version:
            return None
        self.state.profile_versions[profile_id] = version
        dirty.profiles.add(profile_id)
        old = self.state.drop_profile(profile_id)
        if old is None:
            return []
        ctx = Context(gone_profiles={profile_id: (old, reason)})
        return self._adjust(profile_id, {}, ctx, dirty)

    def _adjust(self, pid: UUID, scores: dict[UUID, float], ctx: Context, dirty: Dirty) -> Emitted:
        affected = {pid}
        k, capacity = self.ranker.policy.top_k_per_vacancy, row_capacity(self.ranker.policy)
        for vid in sorted(set(scores) | set(self.state.in_rows.get(pid, ()))):
            row = self.state.rows.get(vid)
            if row is None:
                continue
            before = self.reconciler.prefix(vid)
            position = self.state.in_rows.get(pid, {}).get(vid)
            entries = list(row.entries)
            if position is not None:
                del entries[position]
            if vid in scores and _placeable((scores[vid], pid), entries, row.truncated):
                # The row is in rank order: a binary search ranks a handful of entries,
                # a sort all of them (the sort key was 6 % of the matcher's CPU).
                bisect.insort(entries, (scores[vid], pid), key=rank_key)
            truncated = row.truncated or len(entries) > capacity
            self.state.set_row(vid, type(row)(entries[:capacity], truncated))
            if len(entries) < k and truncated:
                self.state.set_row(vid, self.ranker.full_row(self.state.vacancies[vid]))
            dirty.rows.add(vid)
            affected.update(set(before) ^ set(self.reconciler.prefix(vid)))
        return self.reconciler.run(affected, ctx, dirty)

    # -- training offers -------------------------------------------------------
    def upsert_offer(self, offer: Offer, dirty: Dirty) -> Emitted | None:
        """An offer published or changed: rows of vacancies needing what it teaches change."""
        self.ranker.forget()
        if self.state.offer_versions.get(offer.id, 0) >= offer.version:
            return None
        old = self.state.offers.get(offer.id)
        self.state.offer_versions[offer.id] = offer.version
        self.state.offers.put(offer)
        dirty.offers.add(offer.id)
        taught = set(offer.teaches) | set(old.teaches if old else ())
        return self._offers_changed(taught, dirty)

    def remove_offer(self, offer_id: UUID, version: int, dirty: Dirty) -> Emitted | None:
        """An offer withdrawn."""
        self.ranker.forget()
        if self.state.offer_versions.get(offer_id, 0) >= version:
            return None
        self.state.offer_versions[offer_id] = version
        old = self.state.offers.get(offer_id)
        self.state.offers.remove(offer_id)
        dirty.offers.add(offer_id)
        return self._offers_changed(set(old.teaches) if old else set(), dirty)

    def _offers_changed(self, taught: set[str], dirty: Dirty) -> Emitted:
        vids = sorted(self.ranker.vacancies_teaching(taught))
        return self._refresh(vids, Context(touched_vacancies=set(vids)), dirty)


def _placeable(
    entry: tuple[float, UUID], entries: list[tuple[float, UUID]], truncated: bool
) -> bool:
    """Whether a row may hold the entry: a row is the best profiles it holds of all.

    A truncated row left out candidates that rank behind its last entry, in an order
    it no longer knows: an entry that ranks behind that last entry too (or any entry,
    once the row is empty) cannot be placed among them, so it stays out with them
    and a refill finds it again.
    """
    return not truncated or (bool(entries) and rank_key(entry) < rank_key(entries[-1]))
