"""One request id through all three services, and every service's metrics, as processes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from deploy.hub import launcher
from services.profiles.entrypoints.http.schemas.profiles import (
    CONSENT_EXAMPLE,
    PROFILE_DETAILS_EXAMPLE,
)
from services.profiles.entrypoints.http.schemas.vacancies import VACANCY_EXAMPLE
from shared.events import OrganisationKind
from tests.integration.profiles.conftest import make_tenant
from tests.processes import services_running
from tests.receiver import Receiver, webhook_receiver
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.e2e

REGION = "halle-saalekreis"
REQUEST_ID = "trace-e2e-0042"
FAMILIES = (
    "drehscheibe_events_total",
    "drehscheibe_handler_seconds",
    "drehscheibe_dead_letters_total",
    "drehscheibe_outbox_backlog",
    "drehscheibe_outbox_published_total",
    "drehscheibe_consumer_lag",
    "drehscheibe_deliveries_total",
    "drehscheibe_http_request_seconds",
)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with webhook_receiver() as hook:
        yield hook


@pytest.fixture
async def hub(
    stack: StackUrls, own_database: str, topic_prefix: str, receiver: Receiver
) -> AsyncIterator[dict[str, launcher.ServiceProcess]]:
    """The three services as separate processes with JSON logs."""
    env = {
        **stack.env(), "DATABASE_URL": own_database, "KAFKA_TOPIC_PREFIX": topic_prefix,
        "LOG_FORMAT": "json", "NOTIFICATIONS_WEBHOOK_URL": receiver.url,
    }  # fmt: skip
    async with services_running(env) as procs:
        yield procs


def _logged_with(proc: launcher.ServiceProcess, request_id: str) -> list[dict[str, Any]]:
    found = []
    for line in list(proc.lines):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("request_id") == request_id:
            found.append(entry)
    return found


async def _post(api: str, path: str, body: dict[str, Any], key: str, **headers: str) -> str:
    async with httpx.AsyncClient(base_url=api) as client:
        response = await client.post(
            path, json=body, headers={"Authorization": f"Bearer {key}", **headers}
        )
    assert response.status_code == 201, response.text
    return response.headers["x-request-id"]


async def test_one_request_id_reaches_every_services_logs_and_the_webhook(
    hub: dict[str, launcher.ServiceProcess], receiver: Receiver, own_database: str
) -> None:
    firm = await make_tenant(own_database, "firm", OrganisationKind.FIRM, [REGION])
    agency = await make_tenant(own_database, "agency", OrganisationKind.AGENCY, [REGION])
    api = hub["profiles"].base_url
    profile = {**PROFILE_DETAILS_EXAMPLE, "consent": CONSENT_EXAMPLE}
    made = await _post(api, "/v1/profiles", profile, agency.key)
    assert made != REQUEST_ID  # the API made one of its own
    conn = await asyncpg.connect(own_database)
    try:

        async def profile_indexed() -> bool:
            return bool(await conn.fetchval("SELECT count(*) FROM matching.profiles"))

        # The vacancy arrives alone, so the match it causes is its own.
        await eventually(profile_indexed, timeout=30, what="matching to take the profile")
    finally:
        await conn.close()
    answered = await _post(api, "/v1/vacancies", VACANCY_EXAMPLE, firm.key, **{
        "X-Request-ID": REQUEST_ID})  # fmt: skip
    assert answered == REQUEST_ID

    async def webhook() -> list[Any]:
        return [r for r in receiver.received if r.headers.get("x-request-id") == REQUEST_ID]

    delivered = await eventually(webhook, timeout=60, what="the match webhook with the id")
    assert json.loads(delivered[0].body)["type"] == "de.drehscheibe.match.found.v1"

    async def in_every_log() -> bool:
        return all(_logged_with(hub[name], REQUEST_ID) for name in launcher.SERVICES)

    await eventually(in_every_log, timeout=20, what="the request id in every service's log")
    assert {e["service"] for e in _logged_with(hub["profiles"], REQUEST_ID)} == {"profiles"}
    events = {e["event"] for e in _logged_with(hub["notifications"], REQUEST_ID)}
    assert "delivery attempted" in events
    await _every_family_on_every_service(hub)


async def _scrape(proc: launcher.ServiceProcess) -> str:
    async with httpx.AsyncClient(base_url=proc.base_url) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    return response.text


def _samples(text: str, family: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(family)]


async def _every_family_on_every_service(hub: dict[str, launcher.ServiceProcess]) -> None:
    for name in launcher.SERVICES:
        text = await _scrape(hub[name])
        missing = [f for f in FAMILIES if f"# TYPE {f} " not in text]
        assert not missing, f"{name} lacks {missing}"
    profiles, matching = await _scrape(hub["profiles"]), await _scrape(hub["matching"])
    assert any('route="/v1/vacancies"' in s for s in _samples(profiles, FAMILIES[7]))
    assert _samples(profiles, "drehscheibe_outbox_published_total{")
    assert any('outcome="applied"' in s for s in _samples(matching, FAMILIES[0]))
    assert _samples(matching, "drehscheibe_handler_seconds_count{")

    async def notifications_counted() -> bool:
        text = await _scrape(hub["notifications"])
        delivered = any('outcome="delivered"' in s for s in _samples(text, FAMILIES[6]))
        return delivered and bool(_samples(text, "drehscheibe_consumer_lag{"))

    await eventually(notifications_counted, timeout=30, what="deliveries and lag on /metrics")
