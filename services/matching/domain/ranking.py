"""Retrieval: a vacancy's best profiles (top-k with bounds) and a profile's candidate vacancies.

A vacancy's row is found by scanning the competence index nearest first: the
region component can only fall with distance, so once the best score any farther
candidate could reach is below the row's last entry, the scan stops. Work thus
depends on how many candidates lie closer than the k-th best, not on how many
profiles share a common competence across the whole radius.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from uuid import UUID

from services.matching.domain.bound import ScoreBound
from services.matching.domain.model import Profile, Requirement, Vacancy
from services.matching.domain.policy import IMPORTANCE_WEIGHT, Policy
from services.matching.domain.scoring import Evaluation, Related, evaluate
from services.matching.domain.state import Row, State
from shared.events import Importance


def row_capacity(policy: Policy) -> int:
    """Entries a row keeps: the top k and as many again in reserve."""
    return 2 * policy.top_k_per_vacancy


def rank_key(entry: tuple[float, UUID]) -> tuple[float, UUID]:
    """Best first; equal scores in id order, so every replica ranks alike."""
    return (-entry[0], entry[1])


def _upper_bound(distance_km: float, radius_km: int, policy: Policy, ceiling: float) -> float:
    """The best score (as rounded by `evaluate`) of any pair at least this far apart.

    `ceiling` bounds the competence component (1 when nothing is known about it).
    """
    # Within a kilometre a radius of 0 still earns the full region component.
    near = distance_km < 1.0 or radius_km <= 0
    region = 1.0 if near else max(0.0, 1.0 - distance_km / radius_km)
    rest = policy.competence * ceiling + policy.dqr + policy.availability + policy.working_time
    # Scores are rounded to 4 places: a pair just below the bound may round up to it,
    # and at an equal score the profile id decides the rank, so it must be seen. The
    # hair of slack keeps the bound above any last-bit difference from `evaluate`.
    return round((rest + policy.region * region) / policy.total_weight + 1e-9, 4)


def with_related(ids: Iterable[str], related: Related) -> set[str]:
    """The ids and every id related to one of them."""
    keys = set(ids)
    for cid in list(keys):
        keys.update(other for other, _ in related(cid))
    return keys


def _covered(held: tuple[str, ...], covers: list[set[str]]) -> bool:
    """Whether the held ids meet every cover (one of each)."""
    # A loop, not all(<generator>): this runs for every holder the scan reads.
    for cover in covers:  # noqa: SIM110
        if cover.isdisjoint(held):
            return False
    return True


class Ranker:
    """Computes rows and candidates against the current state."""

    def __init__(self, state: State, policy: Policy, related: Related) -> None:
        self.state, self.policy, self.related = state, policy, related
        # Pairs evaluated while one change is applied: ranking scores a pair, and the
        # match event built for it next needs the same evaluation again.
        self._memo: dict[tuple[UUID, int, UUID, int], Evaluation | None] = {}

    def forget(self) -> None:
        """Drop remembered evaluations: the state is about to change."""
        self._memo.clear()

    def evaluate(self, v: Vacancy, p: Profile) -> Evaluation | None:
        """Score one pair with the current catalogue (remembered until `forget`)."""
        key = (v.id, v.version, p.id, p.version)
        if key in self._memo:
            return self._memo[key]
        ev = self._memo[key] = evaluate(
            v, p, related=self.related, teachable=self.state.offers.teaches, policy=self.policy
        )
        return ev

    def full_row(self, v: Vacancy) -> Row:
        """The vacancy's row from scratch, stopping the scan once nothing else can enter.

        Candidates are scored best bound first: each one read is bounded and queued,
        and a queued candidate is scored once no unread group can hold a better one.
        Scored in the order read, a dense area fills the row with candidates that
        better ones push out again (about k·ln(holders/k) scorings); in bound order
        few besides the row's own entries are scored.
        """
        capacity, st = row_capacity(self.policy), self.state
        # The row so far with its worst entry on top: (score, -id, id), so at equal
        # scores the larger id, which ranks behind, is the one popped.
        heap: list[tuple[float, int, UUID]] = []
        # Read but not yet scored, best bound first: (-bound, slot).
        queued: list[tuple[float, int]] = []
        seen: set[int] = set()
        truncated = False
        covers = self._must_covers(v)
        others = [cover for cover, _ in covers[1:]]
        bound = ScoreBound(v, self.related, st.offers.teaches_anywhere, self.policy)
        profile_at, min_score = st.profile_at, self.policy.min_score
        slack = self.policy.radius_slack_km

        def score_queued(down_to: float) -> None:
            # Scores every queued candidate whose bound reaches `down_to`, best first.
            nonlocal truncated
            while queued and -queued[0][0] >= down_to:
                best, slot = heapq.heappop(queued)
                if len(heap) >= capacity and -best < heap[0][0]:
                    # It and everything still queued rank behind the full row.
                    truncated = True
                    queued.clear()
                    return
                p = profile_at[slot]
                if p is None:
                    continue
                ev = self.evaluate(v, p)
                if ev is None:
                    continue
                entry = (ev.score, -p.id.int, p.id)
                if len(heap) < capacity:
                    heapq.heappush(heap, entry)
                else:
                    truncated = True
                    if entry > heap[0]:
                        heapq.heapreplace(heap, entry)

        for group_bound, lower_km, slots in self._groups(v, covers):
            score_queued(group_bound)
            full = len(heap) >= capacity
            if full and group_bound < heap[0][0]:
                truncated = True
                break
            for slot in slots:
                if slot in seen:
                    continue
                seen.add(slot)
                p = profile_at[slot]
                # Beyond its own radius a candidate is no match: the group's distance may say so.
                if p is None or lower_km > p.radius_km + slack:
                    continue
                if not _covered(p.competence_ids, others):
                    continue
                # Below the threshold a pair is no match; below the last entry it cannot enter.
                best = bound(p, heap[0][0] if full else min_score)
                if best < min_score:
                    continue
                if full and best < heap[0][0]:
                    truncated = True  # it may be eligible, but ranks behind the row
                    continue
                heapq.heappush(queued, (-best, slot))
        score_queued(-1.0)
        # Descending (score, -id) is rank order, compared as plain tuples, no key calls.
        found = [(score, pid) for score, _, pid in sorted(heap, reverse=True)]
        return Row(found, truncated)

    def _groups(
        self, v: Vacancy, covers: list[tuple[set[str], Requirement]]
    ) -> list[tuple[float, float, Sequence[int]]]:
        """The scan's groups of holders: (best score, least distance, slots); best first.

        A holder of only a related competence earns at most `related_credit ×
        similarity` for the must-have the scanned cover stands for: its group's bound
        says so. A candidate is in every group of what it holds, one of them the group
        whose bound is its own, so once the next group's bound is below the row's last
        entry no unread candidate can enter.
        """
        ceilings: dict[str, float] = {}
        if covers:
            keys, must = covers[0]
            total = sum(IMPORTANCE_WEIGHT[r.importance] for r in v.requirements)
            rest = total - IMPORTANCE_WEIGHT[must.importance]
            for other, similarity in self.related(must.competence_id):
                if other != must.competence_id:
                    share = self.policy.related_credit * similarity
                    ceilings[other] = (rest + (total - rest) * share) / total
        else:
            keys = with_related(v.competence_ids, self.related)
        found = self.state.profile_index.groups(keys, v.lat, v.lon, v.radius_km)
        out = [
            (_upper_bound(d, v.radius_km, self.policy, ceilings.get(cid, 1.0)), d, slots)
            for d, cid, slots in found
        ]
        out.sort(key=lambda g: -g[0])
        return out

    def _must_covers(self, v: Vacancy) -> list[tuple[set[str], Requirement]]:
        """For each must-have no offer teaches, the competences that can meet it; rarest first.

        Such a must-have is met only by holding it or a related competence, so every
        eligible profile holds one of each cover: the rarest cover is what the scan
        reads, the others filter its holders before they are scored. Without any,
        any requirement's cover may make a profile eligible.
        """
        sized: list[tuple[int, set[str], Requirement]] = []
        for r in v.requirements:
            if r.importance is not Importance.MUST:
                continue
            if self.state.offers.teaches_anywhere(r.competence_id, r.min_level):
                continue
            cover = with_related([r.competence_id], self.related)
            sized.append((sum(self.state.profile_index.count(c) for c in cover), cover, r))
        sized.sort(key=lambda s: s[0])
        return [(cover, r) for _, cover, r in sized]

    def candidate_vacancies(self, p: Profile) -> dict[UUID, float]:
        """Every open vacancy the profile is eligible for, with the pair's score."""
        st, out = self.state, {}
        keys = with_related(p.competence_ids, self.related)
        seen: set[int] = set()
        for _, slots in st.vacancy_index.scan(keys, p.lat, p.lon, p.radius_km):
            for slot in slots:
                if slot in seen:
                    continue
                seen.add(slot)
                vid = st.vacancy_slots.ids[slot]
                ev = self.evaluate(st.vacancies[vid], p)
                if ev is not None:
                    out[vid] = ev.score
        return out

    def vacancies_teaching(self, competence_ids: Iterable[str]) -> set[UUID]:
        """Open vacancies that require one of the competences (an offer touches them)."""
        ids = self.state.vacancy_slots.ids
        return {ids[slot] for slot in self.state.vacancy_index.holders(competence_ids)}
