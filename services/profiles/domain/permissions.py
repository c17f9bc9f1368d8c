"""What each kind of organisation may do: the one permission table (docs/access.md).

A cell names, per action, how far the organisation reaches:

- OWN: only what the organisation itself posted;
- REGION: its own, plus what lies in one of its regions (a hub's region);
- SHARED: its own, plus what lies in its regions and is shared with agencies
  (every vacancy; a profile whose consent scope includes agencies);
- TARGETED: its own, plus what is addressed to its kind and one of its regions
  (bulletins);
- ALL: everything (administrators; for the training catalogue, everyone).

A missing cell refuses the action (403). Reads outside the reach answer 404, so a
caller never learns that another tenant's resource exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from shared.events import OrganisationKind


class Resource(StrEnum):
    """Resources of the API."""

    VACANCIES = "vacancies"
    STAFF_RELEASES = "staff_releases"
    PROFILES = "profiles"
    TRAINING_OFFERS = "training_offers"
    SUBSCRIPTIONS = "subscriptions"
    BULLETINS = "bulletins"
    MATCHES = "matches"  # read model projected from hub.matches.v1
    DELIVERIES = "deliveries"  # read model projected from hub.notifications.v1


class Action(StrEnum):
    """What can be done to a resource."""

    CREATE = "create"
    READ = "read"
    UPDATE = "update"  # replace, close, mark filled, withdraw, cancel
    ERASE = "erase"  # DELETE: erasure under GDPR art. 17


class Reach(StrEnum):
    """How far an allowed action reaches."""

    OWN = "own"
    REGION = "region"
    SHARED = "shared"
    TARGETED = "targeted"
    ALL = "all"


K, R, A = OrganisationKind, Resource, Action
OWN, REGION, SHARED, ALL = Reach.OWN, Reach.REGION, Reach.SHARED, Reach.ALL
TARGETED = Reach.TARGETED
# The training catalogue is read by everyone; posted by providers and associations.
_CATALOGUE_READ = {A.READ: ALL}
_CATALOGUE_POST = {A.CREATE: OWN, A.READ: ALL, A.UPDATE: OWN}
_SUBSCRIBER = {A.CREATE: OWN, A.READ: OWN, A.UPDATE: OWN}
_PUBLISHER = {A.CREATE: OWN, A.READ: TARGETED}

PERMISSIONS: Mapping[tuple[OrganisationKind, Resource], Mapping[Action, Reach]] = MappingProxyType(
    {
        (K.FIRM, R.VACANCIES): {A.CREATE: OWN, A.READ: OWN, A.UPDATE: OWN},
        (K.FIRM, R.STAFF_RELEASES): {A.CREATE: OWN, A.READ: OWN, A.UPDATE: OWN},
        (K.FIRM, R.PROFILES): {A.READ: OWN, A.UPDATE: OWN, A.ERASE: OWN},
        (K.HUB, R.VACANCIES): {A.READ: REGION},
        (K.HUB, R.STAFF_RELEASES): {A.READ: REGION},
        (K.HUB, R.PROFILES): {A.CREATE: OWN, A.READ: REGION, A.UPDATE: OWN, A.ERASE: OWN},
        (K.AGENCY, R.VACANCIES): {A.CREATE: OWN, A.READ: SHARED, A.UPDATE: OWN},
        (K.AGENCY, R.PROFILES): {A.CREATE: OWN, A.READ: SHARED, A.UPDATE: OWN, A.ERASE: OWN},
        (K.ADMIN, R.VACANCIES): {A.READ: ALL},
        (K.ADMIN, R.STAFF_RELEASES): {A.READ: ALL},
        (K.ADMIN, R.PROFILES): {A.READ: ALL, A.ERASE: ALL},
        (K.FIRM, R.TRAINING_OFFERS): _CATALOGUE_READ,
        (K.HUB, R.TRAINING_OFFERS): _CATALOGUE_READ,
        (K.AGENCY, R.TRAINING_OFFERS): _CATALOGUE_READ,
        (K.ASSOCIATION, R.TRAINING_OFFERS): _CATALOGUE_POST,
        (K.TRAINING_PROVIDER, R.TRAINING_OFFERS): _CATALOGUE_POST,
        (K.ADMIN, R.TRAINING_OFFERS): _CATALOGUE_READ,
        (K.FIRM, R.SUBSCRIPTIONS): _SUBSCRIBER,
        (K.HUB, R.SUBSCRIPTIONS): _SUBSCRIBER,
        (K.AGENCY, R.SUBSCRIPTIONS): _SUBSCRIBER,
        (K.ASSOCIATION, R.SUBSCRIPTIONS): _SUBSCRIBER,
        (K.ADMIN, R.SUBSCRIPTIONS): {A.READ: ALL},
        (K.FIRM, R.DELIVERIES): {A.READ: OWN},
        (K.HUB, R.DELIVERIES): {A.READ: OWN},
        (K.AGENCY, R.DELIVERIES): {A.READ: OWN},
        (K.ASSOCIATION, R.DELIVERIES): {A.READ: OWN},
        (K.FIRM, R.BULLETINS): {A.READ: TARGETED},
        (K.HUB, R.BULLETINS): {A.READ: TARGETED},
        (K.AGENCY, R.BULLETINS): _PUBLISHER,
        (K.ASSOCIATION, R.BULLETINS): _PUBLISHER,
        (K.TRAINING_PROVIDER, R.BULLETINS): {A.READ: TARGETED},
        (K.ADMIN, R.BULLETINS): {A.READ: ALL},
        (K.FIRM, R.MATCHES): {A.READ: OWN},
        (K.HUB, R.MATCHES): {A.READ: REGION},
        (K.AGENCY, R.MATCHES): {A.READ: SHARED},
        (K.ADMIN, R.MATCHES): {A.READ: ALL},
    }
)


def reach(kind: OrganisationKind, resource: Resource, action: Action) -> Reach | None:
    """How far `kind` may do `action` on `resource`; None means not at all."""
    return PERMISSIONS.get((kind, resource), {}).get(action)
