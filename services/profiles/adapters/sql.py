"""WHERE clauses with numbered parameters, and the tenant reach as SQL."""

from __future__ import annotations

from typing import Any

from services.profiles.domain.access import Principal
from services.profiles.domain.permissions import Reach


class Where:
    """Collects conditions and their parameters ($1, $2, … in order)."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def param(self, value: Any) -> str:
        """A placeholder bound to `value`."""
        self.params.append(value)
        return f"${len(self.params)}"

    def add(self, clause: str) -> Where:
        """Add a condition (already containing its placeholders)."""
        self.clauses.append(clause)
        return self

    def sql(self) -> str:
        """The conditions joined by AND."""
        return " AND ".join(self.clauses) or "TRUE"


def within_reach(where: Where, principal: Principal, reach: Reach, *, shared: str) -> Where:
    """Restrict rows to what `principal` reaches; `shared` is the resource's agency condition."""
    if reach is Reach.ALL:
        return where
    own = f"organisation_id = {where.param(principal.organisation_id)}"
    if reach is Reach.OWN:
        return where.add(own)
    in_region = f"district_code = ANY({where.param(sorted(principal.districts))}::text[])"
    if reach is Reach.SHARED:
        in_region = f"({in_region} AND {shared})"
    return where.add(f"({own} OR {in_region})")
