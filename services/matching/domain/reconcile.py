"""Emit only what changed: a profile's matches are the best of its qualified pairs.

A pair qualifies when the profile is among the vacancy's top k (its row's first
k entries). A profile keeps its best `top_k_per_profile` qualified pairs. Both
ranks depend only on the current state, never on the order events arrived in,
so one replica or two, live or replayed, reach the same set of matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from services.matching.domain.explain import fingerprint, match_payload
from services.matching.domain.model import Profile, Vacancy
from services.matching.domain.ranking import Ranker, rank_key
from services.matching.domain.state import Dirty, MatchRecord
from shared.events import EventPayload, MatchFoundV1, MatchRetractedV1, MatchUpdatedV1


@dataclass
class Context:
    """What one event changed, for the reconciliation that follows it."""

    touched_vacancies: set[UUID] = field(default_factory=set)
    touched_profiles: set[UUID] = field(default_factory=set)
    gone_vacancies: dict[UUID, tuple[Vacancy, str]] = field(default_factory=dict)
    gone_profiles: dict[UUID, tuple[Profile, str]] = field(default_factory=dict)


class Reconciler:
    """Compares the desired matches of affected profiles with what was emitted."""

    def __init__(self, ranker: Ranker) -> None:
        self.ranker = ranker
        self.state = ranker.state

    def prefix(self, vacancy_id: UUID) -> list[UUID]:
        """The profiles in a vacancy's top k."""
        row = self.state.rows.get(vacancy_id)
        k = self.ranker.policy.top_k_per_vacancy
        return [pid for _, pid in row.entries[:k]] if row else []

    def desired(self, profile_id: UUID) -> list[UUID]:
        """The vacancies a profile should be matched with now."""
        qualified = []
        k, rows = self.ranker.policy.top_k_per_vacancy, self.state.rows
        for vid, position in self.state.in_rows.get(profile_id, {}).items():
            if position < k:
                qualified.append((rows[vid].entries[position][0], vid))
        qualified.sort(key=rank_key)
        return [vid for _, vid in qualified[: self.ranker.policy.top_k_per_profile]]

    def run(
        self, profiles: Iterable[UUID], ctx: Context, dirty: Dirty
    ) -> list[tuple[UUID, UUID, EventPayload]]:
        """Events for every affected profile's changed pairs, in a stable order."""
        out: list[tuple[UUID, UUID, EventPayload]] = []
        for pid in sorted(set(profiles)):
            want = self.desired(pid)
            have = set(self.state.active_by_profile.get(pid, ()))
            for vid in sorted(have - set(want)):
                out.append((vid, pid, self._retract(vid, pid, ctx, dirty)))
            for vid in want:
                recheck = vid not in have or vid in ctx.touched_vacancies
                if recheck or pid in ctx.touched_profiles:
                    event = self._found(vid, pid, dirty)
                    if event is not None:
                        out.append((vid, pid, event))
        return out

    def _next(self, vid: UUID, pid: UUID, fp: str, active: bool, dirty: Dirty) -> int:
        old = self.state.matches.get((vid, pid))
        version = (old.version if old else 0) + 1
        self.state.set_match(vid, pid, MatchRecord(version, fp, active))
        dirty.matches.add((vid, pid))
        return version

    def _found(self, vid: UUID, pid: UUID, dirty: Dirty) -> EventPayload | None:
        v, p = self.state.vacancies[vid], self.state.profiles[pid]
        ev = self.ranker.evaluate(v, p)
        assert ev is not None, "a pair in a row is eligible"
        old = self.state.matches.get((vid, pid))
        known = old is not None and old.active
        # Built once as the event it becomes: the fingerprint leaves out the versions.
        payload = match_payload(
            ev,
            v,
            p,
            self.state.offers,
            self.ranker.policy,
            kind=MatchUpdatedV1 if known else MatchFoundV1,
            version=(old.version if old else 0) + 1,
        )
        fp = fingerprint(payload)
        if known and old is not None and old.fingerprint == fp:
            return None
        self._next(vid, pid, fp, True, dirty)
        return payload

    def _retract(self, vid: UUID, pid: UUID, ctx: Context, dirty: Dirty) -> MatchRetractedV1:
        v, v_reason = ctx.gone_vacancies.get(vid) or (self.state.vacancies[vid], "")
        p, p_reason = ctx.gone_profiles.get(pid) or (self.state.profiles[pid], "")
        reason = v_reason or p_reason
        if not reason:
            eligible = self.ranker.evaluate(v, p) is not None
            reason = "outranked: no longer among the top k" if eligible else "no longer a fit"
        version = self._next(vid, pid, "", False, dirty)
        return MatchRetractedV1(
            vacancy_id=vid,
            profile_id=pid,
            version=version,
            reason=reason,
            vacancy_organisation_id=v.organisation_id,
            profile_organisation_id=p.organisation_id,
            vacancy_district_code=v.district_code,
            profile_district_code=p.district_code,
        )
