"""The hub dashboard: its page and assets, and GET /v1/dashboard's reach and answers."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import httpx
import pytest

from services.profiles.config import ProfilesSettings
from shared.events import DeliveryStatus
from shared.topics import MATCHES, NOTIFICATIONS
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant
from tests.integration.profiles.events import SAALEKREIS, found, outcome, publish
from tests.waiting import eventually

pytestmark = pytest.mark.integration
WEBHOOK = {"webhook_url": "https://hooks.example.org/in", "event_kinds": ["match.found"]}


async def _post(api: httpx.AsyncClient, path: str, body: Any, who: Tenant) -> dict[str, Any]:
    response = await api.post(path, json=body, headers=who.auth)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _dashboard(api: httpx.AsyncClient, who: Tenant) -> dict[str, Any]:
    response = await api.get("/v1/dashboard", headers=who.auth)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


async def test_the_page_and_its_assets_come_from_the_hub_alone(
    shared_api: httpx.AsyncClient,
) -> None:
    page = await shared_api.get("/dashboard")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert page.headers["referrer-policy"] == "no-referrer"
    # Nothing is fetched from elsewhere: every src and href is local (or a data: URL).
    references = re.findall(r'(?:src|href)="([^"]*)"', page.text)
    assert references
    assert all(ref.startswith(("/dashboard/", "#", "data:")) for ref in references), references
    for name, kind in (("dashboard.js", "text/javascript"), ("dashboard.css", "text/css")):
        asset = await shared_api.get(f"/dashboard/{name}")
        assert (asset.status_code, asset.headers["content-type"].split(";")[0]) == (200, kind)
        assert "http://" not in asset.text.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in asset.text
    missing = await shared_api.get("/dashboard/secrets.txt")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_the_data_needs_a_hubs_key(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    anonymous = await shared_api.get("/v1/dashboard")
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert anonymous.json()["type"].endswith("/unauthenticated")
    wrong = await shared_api.get("/v1/dashboard", headers={"Authorization": "Bearer dzk_nope"})
    assert wrong.status_code == 401
    for name in ("firm", "agency", "association", "admin"):
        refused = await shared_api.get("/v1/dashboard", headers=tenants[name].auth)
        assert refused.status_code == 403, name
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["title"] == "Forbidden"


async def test_a_hub_sees_its_region_and_another_hub_nothing_of_it(
    api: httpx.AsyncClient, settings: ProfilesSettings, tenants: dict[str, Tenant]
) -> None:
    firm, agency, hub, other = (tenants[n] for n in ("firm", "agency", "hub", "other_hub"))
    before, other_before = await _dashboard(api, hub), await _dashboard(api, other)
    vacancy = await _post(api, "/v1/vacancies", bodies.vacancy(title="Chemikant/in Leuna"), firm)
    profile = await _post(api, "/v1/profiles", bodies.profile(), agency)
    await _post(api, "/v1/staff-releases", bodies.release(), firm)
    subscription = await _post(api, "/v1/subscriptions", WEBHOOK, hub)
    kafka, prefix = settings.kafka_bootstrap_servers, settings.kafka_topic_prefix
    await publish(kafka, prefix, MATCHES, found(vacancy, profile, 1, 0.77, requires_training=True))
    await publish(
        kafka, prefix, NOTIFICATIONS,
        outcome(subscription["id"], uuid4(), 1, DeliveryStatus.DELIVERED),
        outcome(subscription["id"], uuid4(), 5, DeliveryStatus.PARKED),
    )  # fmt: skip

    async def projected() -> dict[str, Any]:
        data = await _dashboard(api, hub)
        ours = [m for m in data["training_matches"] if m["vacancy_id"] == vacancy["id"]]
        parked = data["deliveries"]["parked"] == before["deliveries"]["parked"] + 1
        return data if ours and parked else {}

    data = await eventually(projected, what="the match and the outcomes projected")
    assert data["region"]["id"] == bodies.REGION
    assert {d["code"] for d in data["region"]["districts"]} == {"15002", SAALEKREIS}
    saalekreis = next(d for d in data["region"]["districts"] if d["code"] == SAALEKREIS)
    old = next(d for d in before["region"]["districts"] if d["code"] == SAALEKREIS)
    # One vacancy, the job seeker and the released person, one release, all in Saalekreis.
    assert saalekreis["counts"]["vacancies"] == old["counts"]["vacancies"] + 1
    assert saalekreis["counts"]["profiles"] == old["counts"]["profiles"] + 2
    assert saalekreis["counts"]["staff_releases"] == old["counts"]["staff_releases"] + 1
    assert len(saalekreis["outline"]) >= 3
    assert all(0 <= x <= data["region"]["width"] for x, _ in saalekreis["dots"])
    (match,) = [m for m in data["matches"] if m["vacancy_id"] == vacancy["id"]]
    assert match["components"][0]["reason"] == "fits"
    assert data["vacancy_titles"][vacancy["id"]] == "Chemikant/in Leuna"
    assert data["labels"][bodies.GMP]
    assert data["match_totals"]["requires_training"] >= 1
    # The session's hub may hold other tests' subscriptions: count what this one added.
    health, earlier = data["deliveries"], before["deliveries"]
    assert [health[n] - earlier[n] for n in ("subscriptions", "delivered", "parked")] == [1, 1, 1]
    assert {"delivered", "parked"} <= {d["status"] for d in health["recent"]}

    elsewhere = await _dashboard(api, other)
    assert elsewhere["region"]["id"] == bodies.OTHER_REGION
    assert {d["code"] for d in elsewhere["region"]["districts"]} == {"11000"}
    seen = [*elsewhere["matches"], *elsewhere["training_matches"]]
    assert vacancy["id"] not in {m["vacancy_id"] for m in seen}
    assert vacancy["id"] not in elsewhere["vacancy_titles"]
    assert elsewhere["deliveries"] == other_before["deliveries"]
