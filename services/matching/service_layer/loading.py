"""Bring the in-memory engine level with the tables: at start-up, after another replica wrote,
and to undo what a failed transaction changed in memory."""

from __future__ import annotations

from uuid import UUID

from asyncpg import Record

from services.matching.adapters.state import StateTables, row_of
from services.matching.domain.engine import Engine
from services.matching.domain.state import Dirty, MatchRecord
from services.matching.service_layer.translate import Translator
from shared.events import ProfileUpdatedV1, TrainingOfferPublishedV1, VacancyUpdatedV1


class Loader:
    """Applies stored rows to the engine without re-ranking (they are already derived)."""

    def __init__(self, engine: Engine, translator: Translator) -> None:
        self.engine, self.translator = engine, translator

    def vacancy(self, r: Record) -> None:
        """A stored vacancy (open when it has a body)."""
        st = self.engine.state
        st.vacancy_versions[r["id"]] = r["version"]
        if r["body"] is None:
            st.drop_vacancy(r["id"])
        else:
            st.put_vacancy(self.translator.vacancy(VacancyUpdatedV1.model_validate_json(r["body"])))

    def profile(self, r: Record) -> None:
        """A stored profile (withdrawn or erased without a body)."""
        st = self.engine.state
        st.profile_versions[r["id"]] = r["version"]
        if r["body"] is None:
            st.drop_profile(r["id"])
        else:
            st.put_profile(self.translator.profile(ProfileUpdatedV1.model_validate_json(r["body"])))

    def offer(self, r: Record) -> None:
        """A stored training offer."""
        st = self.engine.state
        st.offer_versions[r["id"]] = r["version"]
        st.offers.remove(r["id"])
        if r["body"] is not None:
            body = TrainingOfferPublishedV1.model_validate_json(r["body"])
            st.offers.put(self.translator.offer(body))

    def row(self, r: Record) -> None:
        """A vacancy's stored row."""
        self.engine.state.set_row(r["vacancy_id"], row_of(r))

    def match(self, r: Record) -> None:
        """A pair's stored record."""
        record = MatchRecord(r["version"], r["fingerprint"], r["active"])
        self.engine.state.set_match(r["vacancy_id"], r["profile_id"], record)

    async def since(self, tables: StateTables, seq: int, *, page: int = 5000) -> int:
        """Apply every change after `seq`, a page at a time; how many rows were applied."""
        steps = (
            ("offers", self.offer),
            ("vacancies", self.vacancy),
            ("profiles", self.profile),
            ("rows", self.row),
            ("matches", self.match),
        )
        count = 0
        for table, apply in steps:
            async for records in tables.changed_since(table, seq, page=page):
                for record in records:
                    apply(record)
                count += len(records)
        return count

    async def undo(self, tables: StateTables, dirty: Dirty) -> None:
        """Restore the keys a failed event touched to their committed state."""
        st = self.engine.state
        for table, keys, forget, apply in (
            ("offers", dirty.offers, _forget_offer, self.offer),
            ("vacancies", dirty.vacancies, _forget_vacancy, self.vacancy),
            ("profiles", dirty.profiles, _forget_profile, self.profile),
        ):
            for key in keys:
                forget(self.engine, key)
            for record in await tables.fetch(table, keys):
                apply(record)
        for vid in dirty.rows:
            st.set_row(vid, None)
        for record in await tables.fetch("rows", dirty.rows):
            self.row(record)
        for vid, pid in dirty.matches:
            st.set_match(vid, pid, None)
        for record in await tables.fetch("matches", {v for v, _ in dirty.matches}):
            if (record["vacancy_id"], record["profile_id"]) in dirty.matches:
                self.match(record)


def _forget_vacancy(engine: Engine, key: UUID) -> None:
    engine.state.drop_vacancy(key)
    engine.state.vacancy_versions.pop(key, None)


def _forget_profile(engine: Engine, key: UUID) -> None:
    engine.state.drop_profile(key)
    engine.state.profile_versions.pop(key, None)


def _forget_offer(engine: Engine, key: UUID) -> None:
    engine.state.offers.remove(key)
    engine.state.offer_versions.pop(key, None)
