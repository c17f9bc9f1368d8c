"""Real client calls that tell whether a server answers: asyncpg, redis PING, Kafka admin."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, cast

import asyncpg
import redis.asyncio as aioredis
from aiokafka.admin import AIOKafkaAdminClient

from deploy.local.stack_config import Address


@dataclass(frozen=True, slots=True)
class Probe:
    """One readiness check's result."""

    ok: bool
    detail: str


ProbeFn = Callable[[], Coroutine[Any, Any, Probe]]


def port_open(address: Address, timeout: float = 1.0) -> bool:
    """True when something accepts a TCP connection on the address."""
    try:
        with socket.create_connection((address.host, address.port), timeout=timeout):
            return True
    except OSError:
        return False


def _failed(exc: BaseException) -> Probe:
    name, text = type(exc).__name__, str(exc)
    return Probe(False, (text if text.startswith(name) else f"{name}: {text}".rstrip(": "))[:300])


async def kafka_probe(bootstrap: str, limit_s: float = 5.0) -> Probe:
    """Metadata plus a ListTopics round trip through aiokafka's admin client."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=int(limit_s * 1000))
    try:
        await asyncio.wait_for(admin.start(), limit_s)
        topics = await asyncio.wait_for(admin.list_topics(), limit_s)
        return Probe(True, f"{len(topics)} topics")
    except Exception as exc:
        return _failed(exc)
    finally:
        await admin.close()


async def postgres_probe(url: str, limit_s: float = 5.0) -> Probe:
    """asyncpg connect with DATABASE_URL and `SELECT 1`."""
    try:
        conn = await asyncpg.connect(url, timeout=limit_s)
    except Exception as exc:
        return _failed(exc)
    try:
        value = await conn.fetchval("SELECT 1")
        return Probe(value == 1, f"SELECT 1 -> {value}")
    except Exception as exc:
        return _failed(exc)
    finally:
        await conn.close()


async def redis_probe(url: str, limit_s: float = 5.0) -> Probe:
    """PING through redis.asyncio."""
    client = aioredis.from_url(url, socket_connect_timeout=limit_s, socket_timeout=limit_s)
    try:
        # redis.asyncio's ping() is typed for the sync and async clients alike.
        pong = await cast("Awaitable[bool]", client.ping())
        return Probe(bool(pong), "PONG")
    except Exception as exc:
        return _failed(exc)
    finally:
        await client.aclose()


def check(probe: ProbeFn) -> Probe:
    """Run one async probe from synchronous code."""
    return asyncio.run(probe())


def wait_ready(probe: ProbeFn, timeout: float, alive: Callable[[], bool]) -> Probe:
    """Probe until it succeeds, the process dies or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    result = Probe(False, "not probed")
    while time.monotonic() < deadline:
        result = check(probe)
        if result.ok:
            return result
        if not alive():
            return Probe(False, f"process exited ({result.detail})")
        time.sleep(0.2)
    return Probe(False, f"not ready after {timeout:.0f} s ({result.detail})")
