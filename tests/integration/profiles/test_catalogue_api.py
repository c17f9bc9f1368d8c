"""Training offers and bulletins: stored, published on their topics, validated, addressed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from services.profiles.config import ProfilesSettings
from shared.topics import BULLETINS, TRAINING_OFFERS
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant
from tests.integration.profiles.test_postings_api import on_kafka

pytestmark = pytest.mark.integration


def offer(**changes: Any) -> dict[str, Any]:
    """A course in Merseburg (Saalekreis) that teaches GMP to level 4."""
    body = {
        "title": "GMP-Aufbaukurs",
        "competences": [{"competence_id": bodies.GMP, "level": 4}],
        "duration_hours": 40,
        "dqr_level": 5,
        "postcode": "06217",
        "start_dates": ["2026-09-07", "2026-03-02"],
        "funding_eligible": True,
    }
    return {**body, **changes}


def bulletin(**changes: Any) -> dict[str, Any]:
    """Funding news for the region of Halle."""
    body = {"title": "Förderung", "body": "Neue Mittel.", "category": "funding",
            "target_regions": [bodies.REGION]}  # fmt: skip
    return {**body, **changes}


async def test_a_training_offer_is_published_revised_and_withdrawn_in_order(
    api: httpx.AsyncClient, settings: ProfilesSettings, tenants: dict[str, Tenant]
) -> None:
    auth = tenants["training_provider"].auth
    created = await api.post("/v1/training-offers", json=offer(), headers=auth)
    assert (created.status_code, created.headers["etag"]) == (201, '"1"')
    path = created.headers["location"]
    assert created.json()["start_dates"] == ["2026-03-02", "2026-09-07"]
    changed = await api.put(
        path, json=offer(duration_hours=60), headers={**auth, "If-Match": '"1"'}
    )
    assert (changed.status_code, changed.json()["duration_hours"]) == (200, 60)
    withdrawn = await api.post(f"{path}/withdraw", headers={**auth, "If-Match": '"2"'})
    assert (withdrawn.status_code, withdrawn.json()["status"]) == (200, "withdrawn")
    again = await api.put(path, json=offer(), headers={**auth, "If-Match": '"3"'})
    assert again.status_code == 409
    records = await on_kafka(settings, TRAINING_OFFERS, created.json()["id"], n=3)
    events = [json.loads(r.value) for r in records]
    assert [(e["type"].split(".")[-2], e["data"]["version"]) for e in events] == [
        ("published", 1), ("published", 2), ("withdrawn", 3),
    ]  # fmt: skip
    assert events[1]["data"]["duration_hours"] == 60
    assert events[0]["data"]["organisation_id"] == str(tenants["training_provider"].org_id)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (offer(competences=[{"competence_id": "esco:nope", "level": 3}]), 422,
         "competences[0].competence_id"),
        (offer(postcode="00000"), 422, "postcode"),
        (offer(postcode=None), 422, "(body)"),
        (offer(competences=[]), 422, "competences"),
        (offer(duration_hours=0), 422, "duration_hours"),
    ],
)  # fmt: skip
async def test_invalid_training_offers_are_refused_naming_the_field(
    shared_api: httpx.AsyncClient,
    tenants: dict[str, Tenant],
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    auth = tenants["association"].auth
    response = await shared_api.post("/v1/training-offers", json=body, headers=auth)
    assert response.status_code == status, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_online_offers_need_no_place_and_lists_filter_by_competence_and_region(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    auth = tenants["training_provider"].auth
    online = await shared_api.post(
        "/v1/training-offers",
        json=offer(postcode=None, online=True, competences=[
            {"competence_id": bodies.PLANT, "level": 3}]),
        headers=auth,
    )  # fmt: skip
    assert online.status_code == 201, online.text
    on_site = (await shared_api.post("/v1/training-offers", json=offer(), headers=auth)).json()
    reader = tenants["firm"].auth

    async def ids(**params: Any) -> set[str]:
        response = await shared_api.get(
            "/v1/training-offers", params={"limit": 100, **params}, headers=reader
        )
        assert response.status_code == 200
        found = {i["id"] for i in response.json()["items"]}
        while cursor := response.json()["next_cursor"]:
            more = {"limit": 100, **params, "cursor": cursor}
            response = await shared_api.get("/v1/training-offers", params=more, headers=reader)
            found |= {i["id"] for i in response.json()["items"]}
        return found

    by_plant = await ids(competence=bodies.PLANT)
    assert online.json()["id"] in by_plant
    assert on_site["id"] not in by_plant
    in_region = await ids(region=bodies.REGION)
    assert on_site["id"] in in_region
    assert online.json()["id"] not in in_region
    assert on_site["id"] not in await ids(region=bodies.OTHER_REGION)


async def test_a_bulletin_is_published_with_its_regions_resolved_to_districts(
    api: httpx.AsyncClient, settings: ProfilesSettings, tenants: dict[str, Tenant]
) -> None:
    created = await api.post("/v1/bulletins", json=bulletin(), headers=tenants["agency"].auth)
    assert created.status_code == 201, created.text
    assert set(created.json()["target_district_codes"]) >= {"15002", "15088"}
    (record,) = await on_kafka(settings, BULLETINS, created.json()["id"])
    data = json.loads(record.value)["data"]
    assert (data["organisation_kind"], data["category"]) == ("agency", "funding")
    assert "15088" in data["target_district_codes"]
    unknown = bulletin(target_regions=["atlantis"])
    refused = await api.post("/v1/bulletins", json=unknown, headers=tenants["agency"].auth)
    assert (refused.status_code, refused.json()["errors"][0]["value"]) == (422, "atlantis")


async def test_bulletins_reach_only_the_kinds_addressed_and_only_while_valid(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    publisher = tenants["association"]
    now = datetime.now(UTC)
    for_hubs = bulletin(target_organisation_kinds=["hub"])
    later = bulletin(valid_from=(now + timedelta(days=2)).isoformat())
    expired = bulletin(
        valid_from=(now - timedelta(days=9)).isoformat(),
        valid_until=(now - timedelta(days=1)).isoformat(),
    )
    made = {}
    for name, body in (("hubs", for_hubs), ("later", later), ("expired", expired)):
        response = await shared_api.post("/v1/bulletins", json=body, headers=publisher.auth)
        assert response.status_code == 201, response.text
        made[name] = f"/v1/bulletins/{response.json()['id']}"

    async def status(name: str, who: str) -> int:
        return (await shared_api.get(made[name], headers=tenants[who].auth)).status_code

    assert (await status("hubs", "hub"), await status("hubs", "firm")) == (200, 404)
    assert (await status("later", "firm"), await status("expired", "firm")) == (404, 404)
    assert (await status("later", "association"), await status("expired", "admin")) == (200, 200)
    backwards = bulletin(valid_from=now.isoformat(), valid_until=now.isoformat())
    refused = await shared_api.post("/v1/bulletins", json=backwards, headers=publisher.auth)
    assert refused.status_code == 422
