"""The hub as `make run` runs it, with the demo world loaded, on a database of its own."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from deploy.hub import launcher
from deploy.hub.demo import post_demo, provision_demo
from deploy.hub.world import World, load_world
from services.profiles.config import ProfilesSettings
from shared.kafka_admin import delete_topics, ensure_topics
from tests.databases import fresh_database
from tests.receiver import free_port
from tests.stack import StackUrls

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class DemoHub:
    """The running services, the demo's keys by role and its ids by posting key."""

    procs: dict[str, launcher.ServiceProcess]
    keys: dict[str, str]
    ids: dict[str, str]
    world: World
    kafka: str
    prefix: str

    @property
    def api(self) -> str:
        """The public API's base URL."""
        return self.procs["profiles"].base_url


def _start(env: dict[str, str]) -> dict[str, launcher.ServiceProcess]:
    procs = {
        name: launcher.start(name, port=free_port(), env=env, cwd=REPO)
        for name in launcher.SERVICES
    }
    port = free_port()
    args = ["--port", str(port), "--secret", "demo-operator-secret"]
    procs["receiver"] = launcher.start_module(
        "receiver", "deploy.hub.receiver", args, port=port, env=env, cwd=REPO
    )
    return procs


@asynccontextmanager
async def demo_hub(stack: StackUrls) -> AsyncIterator[DemoHub]:
    """Start the services and the demo receiver as processes, then load the demo world."""
    prefix = f"d{uuid.uuid4().hex[:10]}."
    await ensure_topics(stack.kafka, prefix)
    async with fresh_database(stack.database_url, "demo") as database_url:
        env = {
            **stack.env(),
            "DATABASE_URL": database_url,
            "KAFKA_TOPIC_PREFIX": prefix,
            "LOG_FORMAT": "json",
            "PROFILES_ALLOW_INSECURE_WEBHOOKS": "true",
            "NOTIFICATIONS_ALLOW_INSECURE_LOCALHOST": "true",
        }
        procs = _start(env)
        try:
            await asyncio.to_thread(launcher.wait_ready, list(procs.values()))
            settings = ProfilesSettings.model_validate({"database_url": database_url})
            keys = await asyncio.to_thread(provision_demo, settings)
            receiver = procs["receiver"].base_url
            api = procs["profiles"].base_url
            ids = await asyncio.to_thread(post_demo, api, keys, receiver=receiver)
            yield DemoHub(procs, keys, ids, load_world(), stack.kafka, prefix)
        finally:
            for proc in procs.values():
                launcher.stop(proc)
    await delete_topics(stack.kafka, prefix)
