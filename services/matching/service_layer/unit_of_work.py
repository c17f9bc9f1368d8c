"""The matcher's unit of work: its state and outbox on one transaction."""

from __future__ import annotations

from services.matching.adapters.state import MatchingState
from shared.unit_of_work import UnitOfWork

SCHEMA = "matching"


class MatchingUnitOfWork(UnitOfWork):
    """Matching state written with the match events it causes."""

    @property
    def state(self) -> MatchingState:
        """The state tables on this transaction."""
        return MatchingState(self.conn)
