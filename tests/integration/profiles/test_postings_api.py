"""The public API against real PostgreSQL and Kafka: stored, published, or refused whole."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import httpx
import pytest

from services.profiles.config import ProfilesSettings
from shared.topics import PROFILES, STAFF_RELEASES, VACANCIES
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant
from tests.kafka_tools import read_all
from tests.waiting import eventually

pytestmark = pytest.mark.integration


async def counts(db: asyncpg.Connection) -> tuple[int, int, int, int]:
    row = await db.fetchrow(
        "SELECT (SELECT count(*) FROM profiles.vacancies),"
        " (SELECT count(*) FROM profiles.profiles), (SELECT count(*) FROM profiles.outbox),"
        " (SELECT count(*) FROM profiles.staff_releases)"
    )
    assert row is not None
    return row[0], row[1], row[2], row[3]


async def on_kafka(settings: ProfilesSettings, topic: str, key: str, n: int = 1) -> list[Any]:
    async def published() -> list[Any]:
        records = await read_all(settings.kafka_bootstrap_servers, settings.kafka.topic(topic))
        found = [r for r in records if r.key == key.encode()]
        return found if len(found) >= n else []

    return await eventually(published, timeout=40, what=f"{n} record(s) of {key} on {topic}")


async def test_vacancy_is_stored_and_published_as_a_cloudevent(
    api: httpx.AsyncClient, settings: ProfilesSettings, tenants: dict[str, Tenant]
) -> None:
    firm = tenants["firm"]
    response = await api.post("/v1/vacancies", json=bodies.vacancy(), headers=firm.auth)
    assert response.status_code == 201
    vacancy_id = response.json()["id"]
    assert response.headers["location"] == f"/v1/vacancies/{vacancy_id}"
    assert response.headers["etag"] == '"1"'
    (record,) = await on_kafka(settings, VACANCIES, vacancy_id)
    event = json.loads(record.value)
    assert dict(record.headers)["content-type"] == b"application/cloudevents+json"
    assert (event["type"], event["subject"]) == ("de.drehscheibe.vacancy.opened.v1", vacancy_id)
    assert event["data"]["organisation_id"] == str(firm.org_id)
    assert event["data"]["version"] == 1


async def test_every_change_bumps_the_version_and_publishes_in_order(
    api: httpx.AsyncClient, settings: ProfilesSettings, tenants: dict[str, Tenant]
) -> None:
    auth = tenants["firm"].auth
    vacancy_id = (await api.post("/v1/vacancies", json=bodies.vacancy(), headers=auth)).json()["id"]
    path = f"/v1/vacancies/{vacancy_id}"
    changed = bodies.vacancy(radius_km=60)
    updated = await api.put(path, json=changed, headers={**auth, "If-Match": '"1"'})
    assert (updated.status_code, updated.headers["etag"]) == (200, '"2"')
    closed = await api.post(
        f"{path}/close", json={"reason": "filled"}, headers={**auth, "If-Match": '"2"'}
    )
    assert (closed.status_code, closed.json()["status"]) == (200, "filled")
    records = await on_kafka(settings, VACANCIES, vacancy_id, n=3)
    events = [json.loads(r.value) for r in records]
    assert [(e["type"].split(".")[-2], e["data"]["version"]) for e in events] == [
        ("opened", 1), ("updated", 2), ("closed", 3),
    ]  # fmt: skip
    assert events[1]["data"]["radius_km"] == 60
    again = await api.put(path, json=changed, headers={**auth, "If-Match": '"3"'})
    assert again.status_code == 409


async def test_if_match_is_required_and_must_name_the_current_version(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    auth = tenants["firm"].auth
    created = await shared_api.post("/v1/vacancies", json=bodies.vacancy(), headers=auth)
    path = f"/v1/vacancies/{created.json()['id']}"
    assert (await shared_api.get(path, headers=auth)).headers["etag"] == '"1"'
    missing = await shared_api.put(path, json=bodies.vacancy(), headers=auth)
    assert (missing.status_code, missing.json()["status"]) == (428, 428)
    stale = await shared_api.put(path, json=bodies.vacancy(), headers={**auth, "If-Match": '"7"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert (await shared_api.get(path, headers=auth)).json()["version"] == 1


async def test_staff_release_publishes_release_and_one_profile_per_person_with_consent(
    api: httpx.AsyncClient,
    settings: ProfilesSettings,
    tenants: dict[str, Tenant],
    db: asyncpg.Connection,
) -> None:
    people = [bodies.person("EMP-1"), bodies.person("EMP-2")]
    created = await api.post(
        "/v1/staff-releases", json=bodies.release(*people), headers=tenants["firm"].auth
    )
    assert created.status_code == 201, created.text
    release = created.json()
    (announced,) = await on_kafka(settings, STAFF_RELEASES, release["id"])
    assert len(json.loads(announced.value)["data"]["profile_ids"]) == 2
    for person in release["people"]:
        (record,) = await on_kafka(settings, PROFILES, person["profile_id"])
        data = json.loads(record.value)["data"]
        assert (data["origin"], data["staff_release_id"]) == ("staff_release", release["id"])
        assert "EMP" not in record.value.decode()
    consents = await db.fetch(
        "SELECT consent_given_at, consent_scope FROM profiles.profiles"
        " WHERE staff_release_id = $1::uuid",
        release["id"],
    )
    assert [r["consent_scope"] for r in consents] == ["matching_and_agencies"] * 2


async def test_erasure_removes_the_profile_and_leaves_an_event_a_tombstone_and_an_audit(
    api: httpx.AsyncClient,
    settings: ProfilesSettings,
    tenants: dict[str, Tenant],
    db: asyncpg.Connection,
) -> None:
    auth = tenants["agency"].auth
    body = bodies.profile(reference="BA-4711")
    profile_id = (await api.post("/v1/profiles", json=body, headers=auth)).json()["id"]
    assert (await api.delete(f"/v1/profiles/{profile_id}", headers=auth)).status_code == 204
    assert (await api.get(f"/v1/profiles/{profile_id}", headers=auth)).status_code == 404
    assert (await api.delete(f"/v1/profiles/{profile_id}", headers=auth)).status_code == 404
    gone = await db.fetchval(
        "SELECT count(*) FROM profiles.profiles WHERE id = $1::uuid", profile_id
    )
    assert gone == 0
    audit = await db.fetchrow(
        "SELECT * FROM profiles.erasures WHERE profile_id = $1::uuid", profile_id
    )
    assert audit is not None
    assert audit["requested_by"] == tenants["agency"].org_id
    assert "BA-4711" not in str(dict(audit))
    _, erased, tombstone = await on_kafka(settings, PROFILES, profile_id, n=3)
    assert json.loads(erased.value)["type"] == "de.drehscheibe.profile.erased.v1"
    assert tombstone.value is None


async def test_withdrawing_a_release_with_erasure_erases_its_people(
    api: httpx.AsyncClient,
    settings: ProfilesSettings,
    tenants: dict[str, Tenant],
    db: asyncpg.Connection,
) -> None:
    auth = tenants["firm"].auth
    release = (await api.post("/v1/staff-releases", json=bodies.release(), headers=auth)).json()
    profile_id = release["people"][0]["profile_id"]
    withdrawn = await api.post(
        f"/v1/staff-releases/{release['id']}/withdraw",
        json={"erase_profiles": True},
        headers={**auth, "If-Match": '"1"'},
    )
    assert (withdrawn.status_code, withdrawn.json()["status"]) == (200, "withdrawn")
    left = await db.fetchval(
        "SELECT count(*) FROM profiles.profiles WHERE id = $1::uuid", profile_id
    )
    assert left == 0
    _, event = await on_kafka(settings, STAFF_RELEASES, release["id"], n=2)
    assert json.loads(event.value)["data"]["erased"] is True
    *_, tombstone = await on_kafka(settings, PROFILES, profile_id, n=3)
    assert tombstone.value is None
