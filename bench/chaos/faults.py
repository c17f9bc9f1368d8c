"""The faults, one at a time: each breaks one part of the running system and repairs it.

While a consumer, the broker or the receiver is down, the fault waits until the load
has had some postings acknowledged, so that there is a backlog to recover from; the
API itself and PostgreSQL are repaired at once (no write can be acknowledged meanwhile).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bench.chaos.servers import Servers
from bench.hub.deliveries import Receiver
from bench.hub.load import Loader, acknowledged
from bench.hub.processes import Hub
from bench.hub.waiting import until


@dataclass
class Target:
    """What the faults act on."""

    servers: Servers
    hub: Hub
    receiver: Receiver
    loader: Loader
    backlog: int  # postings acknowledged while a part is down


async def backlog(t: Target, what: str) -> None:
    """Wait until the load has had `t.backlog` more postings acknowledged."""
    start = len(acknowledged(t.loader.acks))

    async def grown() -> bool:
        return len(acknowledged(t.loader.acks)) - start >= t.backlog

    await until(grown, within=120, what=f"postings acknowledged while {what}")


def kill_service(name: str) -> Callable[[Target], Awaitable[None]]:
    """kill -9 a service, let a backlog build (unless it is the API), restart it."""

    async def inject(t: Target) -> None:
        t.hub.kill(name)
        if name != "profiles":
            await backlog(t, f"{name} is down")
        await t.hub.start(name)

    return inject


async def kafka(t: Target) -> None:
    """Stop the broker, keep posting (the outbox holds the events), start it again."""
    await asyncio.to_thread(t.servers.stop_kafka)
    await backlog(t, "Kafka is down")
    await asyncio.to_thread(t.servers.start_kafka)


async def postgres(t: Target) -> None:
    """Restart PostgreSQL (fast shutdown cuts every session)."""
    await asyncio.to_thread(t.servers.restart_postgres)


async def redis(t: Target) -> None:
    """Flush Redis and restart it."""
    await asyncio.to_thread(t.servers.flush_restart_redis)


async def receiver(t: Target) -> None:
    """Take the webhook receiver down while postings go on, then bring it back."""
    t.receiver.kill()
    await backlog(t, "the receiver is down")
    await t.receiver.start()


FAULTS: dict[str, Callable[[Target], Awaitable[None]]] = {
    "kill -9 profiles": kill_service("profiles"),
    "kill -9 matching": kill_service("matching"),
    "kill -9 notifications": kill_service("notifications"),
    "Kafka broker stop/start": kafka,
    "PostgreSQL restart": postgres,
    "Redis flush + restart": redis,
    "webhook receiver down": receiver,
}
