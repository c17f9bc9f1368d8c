"""The matcher's unit of work: its state and outbox on one transaction."""

from __future__ import annotations

from shared.unit_of_work import UnitOfWork

SCHEMA = "matching"


class MatchingUnitOfWork(UnitOfWork):
    """Matching state written with the match events it causes."""
