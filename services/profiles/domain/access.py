"""Who is calling: an organisation, authenticated by one of its API keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from services.profiles.domain.errors import ForbiddenError, NotFoundError
from services.profiles.domain.permissions import Action, Reach, Resource, reach
from shared.events import OrganisationKind

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller and the districts its regions cover."""

    organisation_id: UUID
    kind: OrganisationKind
    key_id: UUID
    region_ids: tuple[str, ...] = ()
    districts: frozenset[str] = frozenset()

    def reach(self, resource: Resource, action: Action) -> Reach:
        """How far this caller may act; ForbiddenError when not at all."""
        found = reach(self.kind, resource, action)
        if found is None:
            raise ForbiddenError(f"a {self.kind} may not {action} {resource}")
        return found

    def check_write(self, resource: Resource, action: Action, owner: UUID | None) -> None:
        """Refuse a change to something the caller can see but does not own."""
        if self.reach(resource, action) is not Reach.ALL and owner != self.organisation_id:
            raise ForbiddenError(f"only the posting organisation may {action} this")


def require_found(found: T | None, what: str, id_: object) -> T:
    """The resource, or NotFoundError."""
    if found is None:
        raise NotFoundError(what, id_)
    return found
