"""A run's own namespace on shared servers: a fresh database, a topic prefix, the
organisations and keys the load needs, and the hub's webhook subscription."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

from bench.hub.waiting import until
from services.profiles.adapters.reference import Reference
from services.profiles.config import ProfilesSettings
from services.profiles.entrypoints.cli import Action, run_admin
from services.profiles.service_layer import access
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.events import OrganisationKind as Kind
from shared.kafka_admin import delete_topics, ensure_topics


@dataclass(frozen=True, slots=True)
class Namespace:
    """Where one run keeps its state."""

    kafka: str
    database_url: str
    prefix: str

    def env(self, redis_url: str) -> dict[str, str]:
        """The services' environment for this namespace."""
        return {
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": redis_url,
            "KAFKA_TOPIC_PREFIX": self.prefix,
        }


def database_named(url: str, name: str) -> str:
    """The same server and credentials, another database."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@asynccontextmanager
async def namespace(kafka: str, admin_url: str, label: str) -> AsyncIterator[Namespace]:
    """A fresh database and topic prefix, both removed afterwards."""
    tag = uuid.uuid4().hex[:8]
    name, prefix = f"dz_{label}_{tag}", f"{label}{tag}."
    await ensure_topics(kafka, prefix)
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    try:
        yield Namespace(kafka, database_named(admin_url, name), prefix)
    finally:
        admin = await asyncpg.connect(admin_url)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        await delete_topics(kafka, prefix)


ROLES = {
    "firm": (Kind.FIRM, "Lastprobe Maschinenbau GmbH", ()),
    "hub": (Kind.HUB, "Drehscheibe Lastprobe", None),
}


async def provision(database_url: str, region_id: str) -> dict[str, str]:
    """A firm and the region's hub, each with a fresh API key."""

    def provisioner(kind: Kind, name: str, regions: tuple[str, ...]) -> Action[str]:
        async def action(uow: ProfilesUnitOfWork, ref: Reference, pepper: bytes) -> str:
            _, token = await access.provision(
                uow, ref, pepper, kind=kind, name=name, region_ids=regions
            )
            return token

        return action

    settings = ProfilesSettings.model_validate({"database_url": database_url})
    keys = {}
    for role, (kind, name, regions) in ROLES.items():
        keys[role] = await run_admin(settings, provisioner(kind, name, regions or (region_id,)))
    return keys


async def subscribe(api: str, hub_key: str, url: str, kinds: list[str]) -> dict[str, Any]:
    """The hub subscribes its region's matches by webhook; the answer carries the secret."""
    body = {"channel": "webhook", "webhook_url": url, "event_kinds": kinds}
    async with httpx.AsyncClient(base_url=api, timeout=30) as client:
        response = await client.post(
            "/v1/subscriptions", json=body, headers={"Authorization": f"Bearer {hub_key}"}
        )
    response.raise_for_status()
    created: dict[str, Any] = response.json()
    return created


async def subscription_stored(database_url: str, subscription_id: str, within: float) -> None:
    """Wait until the notification service holds the subscription (routing reads only its copy)."""
    conn = await asyncpg.connect(database_url)
    query = "SELECT count(*) > 0 FROM notifications.subscriptions WHERE subscription_id = $1::uuid"

    async def stored() -> bool:
        return bool(await conn.fetchval(query, subscription_id))

    try:
        await until(
            stored, within=within, what="the notification service to store the subscription"
        )
    finally:
        await conn.close()
