"""The regional hub's dashboard: one read of its region, never beyond it."""

from __future__ import annotations

import functools

from services.profiles.adapters.dashboard import DashboardRepository
from services.profiles.domain.access import Principal
from services.profiles.domain.dashboard import Overview
from services.profiles.domain.errors import ForbiddenError
from services.profiles.domain.permissions import Action, Reach, Resource
from services.profiles.domain.region_map import RegionMap, region_map
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.events import OrganisationKind
from shared.reference.geo import default_directory
from shared.reference.regions import Region, Regions

LATEST = 8
RECENT_DELIVERIES = 6


@functools.cache
def _map_of(region_id: str) -> RegionMap:
    # Reference data is fixed for the process's life: draw each region once.
    region = _region(region_id)
    directory = default_directory()
    return region_map(directory.places_in(region.district_codes), directory.districts())


def _region(region_id: str) -> Region:
    region = Regions.load().get(region_id)
    assert region is not None, f"a hub's region is checked when it is created: {region_id}"
    return region


def _hub_region(caller: Principal) -> str:
    """The caller's region; only a hub has a dashboard, and its reach must be its region."""
    if caller.kind is not OrganisationKind.HUB or len(caller.region_ids) != 1:
        raise ForbiddenError("the dashboard is for regional hubs")
    for resource in (Resource.VACANCIES, Resource.STAFF_RELEASES, Resource.PROFILES):
        if caller.reach(resource, Action.READ) is not Reach.REGION:
            raise ForbiddenError(f"a hub must read {resource} of its region")
    caller.reach(Resource.MATCHES, Action.READ)
    return caller.region_ids[0]


async def overview(uow: ProfilesUnitOfWork, caller: Principal) -> Overview:
    """Counts by district, latest matches, those needing training, and delivery health."""
    region = _region(_hub_region(caller))
    repo = DashboardRepository(uow.conn)
    districts = frozenset(region.district_codes)
    latest = await repo.latest_matches(districts, requires_training=None, limit=LATEST)
    training = await repo.latest_matches(districts, requires_training=True, limit=LATEST)
    vacancy_ids = list({m.state.vacancy_id for m in [*latest, *training]})
    return Overview(
        region_id=region.id,
        region_name=region.name,
        state=region.state,
        map=_map_of(region.id),
        counts=await repo.counts(districts),
        matches=latest,
        training_matches=training,
        deliveries=await repo.delivery_health(caller.organisation_id, recent=RECENT_DELIVERIES),
        match_totals=await repo.match_totals(districts),
        vacancy_titles=await repo.vacancy_titles(vacancy_ids, districts),
    )
