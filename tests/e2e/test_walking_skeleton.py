"""The whole path through real processes: API → Kafka → matching → notifications → webhook."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from deploy.hub import launcher
from deploy.hub.demo import PROFILE_NEARBY, VACANCY, provision_demo
from services.notifications.domain.signing import verify
from services.profiles.config import ProfilesSettings
from shared.reference.geo import PostcodeDirectory, haversine_km
from tests.processes import services_running
from tests.receiver import Receiver, webhook_receiver
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.e2e

SECRET = "e2e-webhook-secret"
VACANCY_POSTCODE = "66111"  # Saarbrücken
NEAR_POSTCODE = "66333"  # Völklingen, about 10 km away
FAR_POSTCODE = "02826"  # Görlitz, about 600 km away


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with webhook_receiver() as hook:
        yield hook


@pytest.fixture
async def hub(
    stack: StackUrls, database_url: str, topic_prefix: str, receiver: Receiver
) -> AsyncIterator[dict[str, launcher.ServiceProcess]]:
    """The three services as separate OS processes, started as `make run` starts them."""
    env = {
        **stack.env(),
        "DATABASE_URL": database_url,
        "KAFKA_TOPIC_PREFIX": topic_prefix,
        "LOG_FORMAT": "json",
        "NOTIFICATIONS_WEBHOOK_URL": receiver.url,
        "NOTIFICATIONS_WEBHOOK_SECRET": SECRET,
    }
    async with services_running(env) as procs:
        yield procs


async def _post(base_url: str, path: str, body: dict[str, Any], key: str) -> str:
    async with httpx.AsyncClient(base_url=base_url) as client:
        response = await client.post(path, json=body, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_fitting_profile_yields_one_signed_webhook_and_a_far_one_none(
    hub: dict[str, launcher.ServiceProcess], receiver: Receiver, database_url: str
) -> None:
    postcodes = PostcodeDirectory.load()
    here, far = postcodes.lookup(VACANCY_POSTCODE), postcodes.lookup(FAR_POSTCODE)
    assert here is not None
    assert far is not None
    assert haversine_km(here.lat, here.lon, far.lat, far.lon) > 590

    api = hub["profiles"].base_url
    settings = ProfilesSettings.model_validate({"database_url": database_url})
    keys = await asyncio.to_thread(provision_demo, settings)
    # The far profile would travel anywhere; the vacancy's 40 km radius still excludes it.
    far_profile = {**PROFILE_NEARBY, "postcode": FAR_POSTCODE, "radius_km": 1000}
    far_id = await _post(api, "/v1/profiles", far_profile, keys["agency"])
    vacancy = {**VACANCY, "postcode": VACANCY_POSTCODE}
    vacancy_id = await _post(api, "/v1/vacancies", vacancy, keys["firm"])
    near = {**PROFILE_NEARBY, "postcode": NEAR_POSTCODE}
    near_id = await _post(api, "/v1/profiles", near, keys["agency"])

    async def delivered() -> list[Any]:
        return list(receiver.received)

    first = (await eventually(delivered, timeout=60, what="the match webhook"))[0]
    timestamp = int(first.headers["x-drehscheibe-timestamp"])
    assert verify(
        SECRET.encode(),
        timestamp,
        first.body,
        first.headers["x-drehscheibe-signature"],
        now=int(time.time()),
    )
    data = json.loads(first.body)["data"]
    assert (data["vacancy_id"], data["profile_id"]) == (vacancy_id, near_id)

    conn = await asyncpg.connect(database_url)
    try:

        async def all_inputs_matched() -> bool:
            seen = await conn.fetchval(
                "SELECT count(*) FROM matching.profiles WHERE id = ANY($1::uuid[])",
                [far_id, near_id],
            )
            vacancy_seen = await conn.fetchval(
                "SELECT count(*) FROM matching.vacancies WHERE id = $1::uuid", vacancy_id
            )
            return bool(seen == 2 and vacancy_seen == 1)

        await eventually(all_inputs_matched, timeout=30, what="matching to process every posting")
        matched = await conn.fetch(
            "SELECT profile_id::text FROM matching.matches WHERE vacancy_id = $1::uuid", vacancy_id
        )
        assert [r["profile_id"] for r in matched] == [near_id]

        async def ledger() -> list[str]:
            rows = await conn.fetch("SELECT status FROM notifications.deliveries")
            statuses = [r["status"] for r in rows]
            # The receiver answers before the worker records the outcome.
            return statuses if statuses != ["pending"] else []

        assert await eventually(ledger, what="the delivery outcome recorded") == ["delivered"]
    finally:
        await conn.close()
    assert len(receiver.received) == 1
