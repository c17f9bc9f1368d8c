"""Per-key rate limit: a fixed window counted in Redis.

The limiter fails OPEN: when Redis does not answer within its timeout, requests
pass (and a warning is logged). The limit protects capacity, not data — keys,
tenant isolation and validation do not depend on Redis — so an outage of the
cache must not take the API down with it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError


class Counter(Protocol):
    """Counts hits on a named window that expires by itself."""

    async def hit(self, name: str, ttl_s: int) -> int:
        """Add one hit; return the count so far."""
        ...


# The window expires by itself; EXPIRE runs only on its first hit. One script is one
# round trip and costs far less client CPU than a pipeline (it is on every request).
_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


class RedisCounter:
    """INCR, and EXPIRE on a new window, atomically in one round trip."""

    def __init__(self, redis: Redis) -> None:
        self._script = redis.register_script(_HIT)

    async def hit(self, name: str, ttl_s: int) -> int:
        """Add one hit; return the count so far."""
        return int(await self._script(keys=[name], args=[ttl_s]))


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a request may pass and, if not, how long to wait."""

    allowed: bool
    retry_after_s: int = 0


class RateLimiter:
    """At most `limit` requests per key and window of `window_s` seconds."""

    def __init__(
        self,
        counter: Counter,
        *,
        limit: int,
        window_s: int,
        timeout_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._counter, self._limit, self._window_s = counter, limit, window_s
        self._timeout_s, self._clock = timeout_s, clock
        self._log = structlog.get_logger("rate_limit")

    async def check(self, key_id: UUID) -> Verdict:
        """Count this request against the key's window."""
        now = self._clock()
        window = int(now // self._window_s)
        try:
            async with asyncio.timeout(self._timeout_s):
                count = await self._counter.hit(f"ratelimit:{key_id}:{window}", self._window_s + 1)
        except (RedisError, OSError, TimeoutError) as exc:
            self._log.warning("rate limit unavailable; request allowed", error=repr(exc))
            return Verdict(True)
        if count <= self._limit:
            return Verdict(True)
        return Verdict(False, max(1, math.ceil((window + 1) * self._window_s - now)))
