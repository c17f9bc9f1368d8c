"""Matches and delivery outcomes projected from Kafka: versions, retraction, order, owners."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import httpx
import pytest

from services.profiles.config import ProfilesSettings
from shared.events import DeliveryStatus, MatchRetractedV1
from shared.topics import DEADLETTER, MATCHES, NOTIFICATIONS
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant
from tests.integration.profiles.events import found, outcome, publish
from tests.kafka_tools import caught_up, read_all
from tests.waiting import eventually

pytestmark = pytest.mark.integration
WEBHOOK = {"webhook_url": "https://hooks.example.org/in", "event_kinds": ["match.found"]}


async def _post(api: httpx.AsyncClient, path: str, body: Any, who: Tenant) -> dict[str, Any]:
    response = await api.post(path, json=body, headers=who.auth)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _items(api: httpx.AsyncClient, path: str, who: Tenant, **params: Any) -> list[Any]:
    response = await api.get(path, params=params, headers=who.auth)
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()["items"]
    return items


async def test_matches_follow_the_newest_version_and_a_retraction_removes_the_pair(
    api: httpx.AsyncClient, settings: ProfilesSettings, tenants: dict[str, Tenant]
) -> None:
    firm, agency = tenants["firm"], tenants["agency"]
    vacancy = await _post(api, "/v1/vacancies", bodies.vacancy(), firm)
    profile = await _post(api, "/v1/profiles", bodies.profile(), agency)
    path = f"/v1/vacancies/{vacancy['id']}/matches"
    kafka, prefix = settings.kafka_bootstrap_servers, settings.kafka_topic_prefix
    await publish(kafka, prefix, MATCHES, found(vacancy, profile, 1, 0.6))

    async def score() -> Any:
        items = await _items(api, path, firm)
        return items[0]["score"] if items else None

    assert await eventually(score, what="the match projected") == 0.6
    (item,) = await _items(api, path, firm)
    assert item["components"][0]["name"] == "competence"
    assert (item["gap"][0]["held_level"], item["offers"][0]["duration_hours"]) == (3, 40)
    # A newer version wins; a redelivered older one afterwards changes nothing.
    await publish(kafka, prefix, MATCHES, found(vacancy, profile, 2, 0.9))
    await eventually(lambda: _is(score, 0.9), what="version 2 applied")
    retraction = MatchRetractedV1(
        vacancy_id=vacancy["id"], profile_id=profile["id"], version=3, reason="vacancy filled"
    )
    await publish(kafka, prefix, MATCHES, found(vacancy, profile, 1, 0.2), retraction)
    await eventually(lambda: _is(score, None), what="the retraction applied")
    await publish(kafka, prefix, MATCHES, found(vacancy, profile, 2, 0.9))
    await eventually(lambda: _consumed(settings, "profiles-matches", MATCHES), what="caught up")
    profile_path = f"/v1/profiles/{profile['id']}/matches"
    assert await _items(api, profile_path, agency) == []
    assert await score() is None


async def _consumed(settings: ProfilesSettings, group: str, topic: str) -> bool:
    kafka = settings.kafka
    return await caught_up(
        settings.kafka_bootstrap_servers, kafka.group(group), [kafka.topic(topic)]
    )


async def _is(probe: Any, expected: Any) -> bool:
    return bool(await probe() == expected)


async def test_matches_come_best_first_across_pages(
    api: httpx.AsyncClient, settings: ProfilesSettings, tenants: dict[str, Tenant]
) -> None:
    firm, agency, hub = tenants["firm"], tenants["agency"], tenants["hub"]
    vacancy = await _post(api, "/v1/vacancies", bodies.vacancy(), firm)
    scores = [0.41, 0.97, 0.55, 0.97, 0.73]
    people = [await _post(api, "/v1/profiles", bodies.profile(), agency) for _ in scores]
    events = [found(vacancy, p, 1, s) for p, s in zip(people, scores, strict=True)]
    await publish(settings.kafka_bootstrap_servers, settings.kafka_topic_prefix, MATCHES, *events)
    path = f"/v1/vacancies/{vacancy['id']}/matches"

    async def all_five() -> bool:
        return len(await _items(api, path, hub, limit=100)) == 5

    await eventually(all_five, what="five matches projected")
    seen: list[float] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = (await api.get(path, params=params, headers=hub.auth)).json()
        seen += [item["score"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == sorted(scores, reverse=True)
    in_region = await _items(api, "/v1/matches", hub, region=bodies.REGION, limit=100)
    assert {i["profile_id"] for i in in_region} >= {p["id"] for p in people}
    elsewhere = await _items(api, "/v1/matches", hub, region=bodies.OTHER_REGION)
    assert vacancy["id"] not in {i["vacancy_id"] for i in elsewhere}
    bad = await api.get(path, params={"cursor": "bm9wZQ=="}, headers=hub.auth)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "cursor")


async def test_a_profile_not_shared_with_agencies_keeps_its_matches_from_other_agencies(
    api: httpx.AsyncClient, settings: ProfilesSettings, tenants: dict[str, Tenant]
) -> None:
    vacancy = await _post(api, "/v1/vacancies", bodies.vacancy(), tenants["firm"])
    private = await _post(api, "/v1/profiles", bodies.profile("matching"), tenants["agency"])
    event = found(vacancy, private)
    await publish(settings.kafka_bootstrap_servers, settings.kafka_topic_prefix, MATCHES, event)
    path = f"/v1/vacancies/{vacancy['id']}/matches"

    async def projected() -> bool:
        return len(await _items(api, path, tenants["hub"])) == 1

    await eventually(projected, what="the match projected")
    assert await _items(api, path, tenants["other_agency"]) == []
    assert len(await _items(api, path, tenants["firm"])) == 1


async def test_deliveries_show_each_latest_outcome_to_the_owner_only(
    api: httpx.AsyncClient, settings: ProfilesSettings, tenants: dict[str, Tenant]
) -> None:
    hub = tenants["hub"]
    subscription = await _post(api, "/v1/subscriptions", WEBHOOK, hub)
    first, second = uuid4(), uuid4()
    events = [
        outcome(subscription["id"], first, 1, DeliveryStatus.RETRYING),
        outcome(subscription["id"], first, 2, DeliveryStatus.DELIVERED),
        outcome(subscription["id"], first, 1, DeliveryStatus.RETRYING),  # stale: ignored
        outcome(subscription["id"], second, 5, DeliveryStatus.PARKED),
    ]
    kafka, prefix = settings.kafka_bootstrap_servers, settings.kafka_topic_prefix
    await publish(kafka, prefix, NOTIFICATIONS, *events)
    path = f"/v1/subscriptions/{subscription['id']}/deliveries"

    async def both() -> dict[str, Any]:
        # Keyed by delivery, the two land on partitions of their own: which one the
        # read model sees first, and so lists first, is not fixed.
        items = {i["delivery_id"]: i for i in await _items(api, path, hub)}
        return items if len(items) == 2 and items[str(first)]["attempts"] == 2 else {}

    await eventually(lambda: _consumed(settings, "profiles-deliveries", NOTIFICATIONS))
    items = await eventually(both, what="both deliveries projected")
    assert (items[str(first)]["status"], items[str(first)]["attempts"]) == ("delivered", 2)
    assert (items[str(second)]["status"], items[str(second)]["attempts"]) == ("parked", 5)
    assert items[str(second)]["last_error"] == "HTTP 503"
    parked = await _items(api, path, hub, status="parked")
    assert [i["delivery_id"] for i in parked] == [str(second)]
    assert (await api.get(path, headers=tenants["other_hub"].auth)).status_code == 404
    assert (await api.get(path, headers=tenants["admin"].auth)).status_code == 403


async def test_an_invalid_match_record_is_dead_lettered(
    api: httpx.AsyncClient, settings: ProfilesSettings, tenants: dict[str, Tenant]
) -> None:
    bad = found({"id": str(uuid4())}, {"id": str(uuid4())}).model_copy(update={"score": 7.0})
    await publish(settings.kafka_bootstrap_servers, settings.kafka_topic_prefix, MATCHES, bad)

    async def dead_lettered() -> list[Any]:
        topic = settings.kafka.topic(DEADLETTER)
        records = await read_all(settings.kafka_bootstrap_servers, topic)
        return [r for r in records if dict(r.headers).get("dlq-consumer") == b"profiles-matches"]

    (record,) = await eventually(dead_lettered, timeout=40, what="the record dead-lettered")
    assert b"score" in dict(record.headers)["dlq-reason"]
    assert json.loads(record.value)["data"]["score"] == 7.0
