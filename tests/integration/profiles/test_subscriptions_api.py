"""Subscriptions: the secret shown once, events that carry it, regions, webhook URL policy."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from services.profiles.config import ProfilesSettings
from services.profiles.entrypoints.http.app import create_app
from shared.topics import SUBSCRIPTIONS
from tests.apps import running
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant, settings_for
from tests.integration.profiles.test_postings_api import on_kafka
from tests.stack import StackUrls

pytestmark = pytest.mark.integration


def subscription(**changes: Any) -> dict[str, Any]:
    """A webhook subscription to every kind of event."""
    body = {
        "webhook_url": "https://hooks.example.org/drehscheibe",
        "event_kinds": ["match.found", "match.updated", "match.retracted", "bulletin"],
        "min_score": 0.5,
    }
    return {**body, **changes}


async def test_the_secret_is_shown_once_and_travels_only_on_the_subscriptions_topic(
    api: httpx.AsyncClient, settings: ProfilesSettings, tenants: dict[str, Tenant]
) -> None:
    auth = tenants["hub"].auth
    created = await api.post("/v1/subscriptions", json=subscription(), headers=auth)
    assert created.status_code == 201, created.text
    secret, path = created.json()["signing_secret"], created.headers["location"]
    assert secret.startswith("whsec_")
    assert len(secret) > 40
    # A hub without regions in the body subscribes to its own region.
    assert created.json()["regions"] == [bodies.REGION]
    assert "15088" in created.json()["district_codes"]
    read = await api.get(path, headers=auth)
    assert "signing_secret" not in read.json()
    assert secret not in read.text
    listed = await api.get("/v1/subscriptions", headers=auth)
    assert secret not in listed.text
    changed = await api.put(
        path, json=subscription(min_score=0.8), headers={**auth, "If-Match": '"1"'}
    )
    assert (changed.status_code, changed.json()["min_score"]) == (200, 0.8)
    assert secret not in changed.text
    cancelled = await api.post(f"{path}/cancel", headers={**auth, "If-Match": '"2"'})
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    records = await on_kafka(settings, SUBSCRIPTIONS, created.json()["id"], n=3)
    events = [json.loads(r.value) for r in records]
    assert [e["type"].split(".")[-2] for e in events] == ["created", "updated", "cancelled"]
    assert [e["data"].get("signing_secret") for e in events[:2]] == [secret, secret]
    assert events[0]["data"]["organisation_kind"] == "hub"


async def test_an_idempotent_retry_gets_the_secret_again_but_a_new_subscription_a_new_one(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    headers = {**tenants["firm"].auth, "Idempotency-Key": "sub-1"}
    first = await shared_api.post("/v1/subscriptions", json=subscription(), headers=headers)
    again = await shared_api.post("/v1/subscriptions", json=subscription(), headers=headers)
    assert again.json() == first.json()
    other = await shared_api.post(
        "/v1/subscriptions", json=subscription(), headers=tenants["firm"].auth
    )
    assert other.json()["signing_secret"] != first.json()["signing_secret"]
    assert first.json()["regions"] == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"webhook_url": "http://hooks.example.org/x"}, "webhook_url"),
        ({"webhook_url": "https://10.0.0.7/x"}, "webhook_url"),
        ({"webhook_url": "https://169.254.169.254/latest"}, "webhook_url"),
        ({"webhook_url": "http://127.0.0.1:8088/webhook"}, "webhook_url"),
        ({"webhook_url": None}, "(body)"),
        ({"channel": "email", "webhook_url": None}, "(body)"),
        ({"event_kinds": ["match.lost"]}, "event_kinds[0]"),
        ({"event_kinds": []}, "event_kinds"),
        ({"min_score": 1.5}, "min_score"),
        ({"regions": ["atlantis"]}, "regions"),
        ({"occupations": ["x"]}, "occupations[0]"),
    ],
)
async def test_invalid_subscriptions_are_refused_naming_the_field(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant], changes: dict[str, Any], field: str
) -> None:
    response = await shared_api.post(
        "/v1/subscriptions", json=subscription(**changes), headers=tenants["agency"].auth
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_a_hub_subscribes_only_within_its_region_and_email_needs_no_url(
    shared_api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    elsewhere = subscription(regions=[bodies.OTHER_REGION])
    refused = await shared_api.post(
        "/v1/subscriptions", json=elsewhere, headers=tenants["hub"].auth
    )
    assert refused.status_code == 403
    by_mail = subscription(channel="email", email="team@hub.example", webhook_url=None, digest=True)
    created = await shared_api.post("/v1/subscriptions", json=by_mail, headers=tenants["hub"].auth)
    assert created.status_code == 201, created.text
    assert (created.json()["channel"], created.json()["digest"]) == ("email", True)


async def test_http_to_loopback_only_where_the_setting_allows_it(
    stack: StackUrls, database_url: str, module_topics: str, tenants: dict[str, Tenant]
) -> None:
    settings = settings_for(stack, database_url, module_topics, allow_insecure_webhooks=True)
    local = subscription(webhook_url="http://127.0.0.1:8088/webhook")
    async with running(create_app(settings)) as client:
        created = await client.post("/v1/subscriptions", json=local, headers=tenants["hub"].auth)
        assert created.status_code == 201, created.text
        private = subscription(webhook_url="https://192.168.1.20/hook")
        refused = await client.post("/v1/subscriptions", json=private, headers=tenants["hub"].auth)
        assert refused.status_code == 422
