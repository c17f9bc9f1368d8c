"""Outbox crash safety with real processes: killed between commit and publish, nothing is lost.

The profiles process runs with PROFILES_OUTBOX_START_DELAY_S so its relay holds back;
the test posts, SIGKILLs the process group, restarts it and sees the events published
and matched once. It then simulates a crash between publish and marking the rows sent:
the events go out twice, and matching still applies them once.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from deploy.hub import launcher
from deploy.hub.demo import PROFILE_NEARBY, VACANCY, provision_demo
from services.profiles.config import ProfilesSettings
from shared.topics import MATCHES, PROFILES, VACANCIES, qualified
from tests.kafka_tools import caught_up, read_all
from tests.receiver import free_port
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
HOLD = "3600"  # the relay waits an hour: the window between commit and publish stays open


class Hub:
    """The profiles and matching processes of one test, on a database of their own."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env, self.procs = env, dict[str, launcher.ServiceProcess]()

    async def start(self, name: str, **env: str) -> launcher.ServiceProcess:
        """Start a service and wait until it is ready."""
        proc = launcher.start(name, port=free_port(), env={**self.env, **env}, cwd=REPO)
        self.procs[name] = proc
        await asyncio.to_thread(launcher.wait_ready, [proc])
        return proc

    def kill(self, name: str) -> None:
        """SIGKILL the service's process group: no shutdown code runs."""
        proc = self.procs.pop(name)
        os.killpg(proc.process.pid, signal.SIGKILL)
        proc.process.wait()


@pytest.fixture
async def hub(stack: StackUrls, own_database: str, topic_prefix: str) -> AsyncIterator[Hub]:
    env = {**stack.env(), "DATABASE_URL": own_database, "KAFKA_TOPIC_PREFIX": topic_prefix}
    hub = Hub({**env, "LOG_FORMAT": "json"})
    try:
        yield hub
    finally:
        for proc in hub.procs.values():
            launcher.stop(proc)


async def _post(base_url: str, path: str, body: dict[str, Any], key: str) -> str:
    async with httpx.AsyncClient(base_url=base_url) as client:
        response = await client.post(path, json=body, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _records(kafka: str, topic: str, key: str, n: int) -> list[Any]:
    async def enough() -> list[Any]:
        found = [r for r in await read_all(kafka, topic) if r.key == key.encode()]
        return found if len(found) >= n else []

    return await eventually(enough, timeout=90, what=f"{n} record(s) of {key} on {topic}")


async def test_events_committed_before_a_kill_are_published_after_restart_and_matched_once(
    hub: Hub, stack: StackUrls, own_database: str, topic_prefix: str
) -> None:
    profiles = await hub.start("profiles", PROFILES_OUTBOX_START_DELAY_S=HOLD)
    await hub.start("matching")
    settings = ProfilesSettings.model_validate({"database_url": own_database})
    keys = await asyncio.to_thread(provision_demo, settings)
    profile_id = await _post(profiles.base_url, "/v1/profiles", PROFILE_NEARBY, keys["agency"])
    vacancy_id = await _post(profiles.base_url, "/v1/vacancies", VACANCY, keys["firm"])
    db = await asyncpg.connect(own_database)
    try:
        unsent = "SELECT count(*) FROM profiles.outbox WHERE sent_at IS NULL"
        assert await db.fetchval(unsent) == 2  # committed, answered 201, not yet on Kafka
        hub.kill("profiles")
        vacancies = qualified(VACANCIES, topic_prefix)
        assert await read_all(stack.kafka, vacancies) == []

        await hub.start("profiles")
        (first,) = await _records(stack.kafka, vacancies, vacancy_id, 1)
        await _records(stack.kafka, qualified(PROFILES, topic_prefix), profile_id, 1)

        async def marked_sent() -> bool:  # the relay marks rows after the broker's ack
            return bool(await db.fetchval(unsent) == 0)

        await eventually(marked_sent, timeout=30, what="the published rows marked sent")

        # A crash after publishing but before marking the rows sent: both go out again.
        hub.kill("profiles")
        await db.execute("UPDATE profiles.outbox SET sent_at = NULL")
        await hub.start("profiles")
        again = await _records(stack.kafka, vacancies, vacancy_id, 2)
        assert {json.loads(r.value)["id"] for r in again} == {json.loads(first.value)["id"]}

        group, inputs = topic_prefix + "matching", [vacancies, qualified(PROFILES, topic_prefix)]
        await eventually(
            lambda: caught_up(stack.kafka, group, inputs), timeout=60, what="matching caught up"
        )
        pair = f"{vacancy_id}:{profile_id}"
        matches = await _records(stack.kafka, qualified(MATCHES, topic_prefix), pair, 1)
        assert [json.loads(r.value)["type"] for r in matches] == ["de.drehscheibe.match.found.v1"]
        stored = await db.fetchval(
            "SELECT version FROM matching.vacancies WHERE id = $1::uuid", vacancy_id
        )
        assert stored == 1
    finally:
        await db.close()
