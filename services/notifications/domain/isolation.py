"""Per-endpoint isolation: a concurrency limit and a circuit breaker for each receiver.

The worker never claims deliveries for an endpoint that is saturated or whose
breaker is open, so a slow or dead receiver ties up at most its own slots and
never the worker's capacity for everybody else.

Claims for a busy endpoint come in batches: it is claimed for again only once no
more of its rows wait in this process than it has slots, and then up to twice its
slots. Its slots do not run dry between two claims, and the ledger is not queried
once per finished attempt. A waiting row is attempted within one attempt's time,
which the claim's lease allows for.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from uuid import UUID


@dataclass
class CircuitBreaker:
    """Opens after `threshold` consecutive failures; after `cooldown_s` lets one trial through."""

    threshold: int
    cooldown_s: float
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    opened_at: float | None = None
    trial_running: bool = False

    def is_open(self) -> bool:
        """True while no attempt may start (open and cooling down, or a trial is running)."""
        if self.opened_at is None:
            return False
        return self.trial_running or self.clock() < self.opened_at + self.cooldown_s

    def try_start(self) -> bool:
        """Whether an attempt may start now; after the cooldown the first one is the trial."""
        if self.opened_at is None:
            return True
        if self.is_open():
            return False
        self.trial_running = True
        return True

    def record(self, *, healthy: bool) -> None:
        """Count the end of an attempt; a healthy answer closes the breaker."""
        self.trial_running = False
        if healthy:
            self.failures, self.opened_at = 0, None
            return
        self.failures += 1
        if self.failures >= self.threshold:
            self.opened_at = self.clock()


@dataclass
class _Endpoint:
    slots: asyncio.Semaphore
    breaker: CircuitBreaker
    claimed: int = 0


@dataclass
class Endpoints:
    """The isolation state of every endpoint this process delivers to."""

    limit: int
    threshold: int
    cooldown_s: float
    clock: Callable[[], float] = time.monotonic
    _all: dict[str, _Endpoint] = field(default_factory=dict)
    _on_room: Callable[[], None] | None = None

    def on_room(self, callback: Callable[[], None]) -> None:
        """Call `callback` whenever a busy endpoint has room for a new claim again."""
        self._on_room = callback

    def _get(self, key: str) -> _Endpoint:
        found = self._all.get(key)
        if found is None:
            breaker = CircuitBreaker(self.threshold, self.cooldown_s, self.clock)
            found = self._all[key] = _Endpoint(asyncio.Semaphore(self.limit), breaker)
        return found

    def rooms(self) -> dict[str, int]:
        """How many more deliveries each known endpoint may be given now.

        While the breaker is closed: up to twice its slots, but only once no more
        rows wait for it than it has slots; none while the breaker cools down or a
        trial runs; and one, the trial, once the cooldown is over. An endpoint not
        listed is idle and has `idle_room`.
        """
        return {key: self._room(ep) for key, ep in self._all.items()}

    @property
    def idle_room(self) -> int:
        """The room of an endpoint with nothing claimed: twice its slots."""
        return 2 * self.limit

    def _room(self, ep: _Endpoint) -> int:
        if ep.breaker.opened_at is None:
            return self.idle_room - ep.claimed if ep.claimed <= self.limit else 0
        if ep.breaker.is_open():
            return 0
        return 1 if ep.claimed == 0 else 0

    def claimed(self, key: str) -> None:
        """A delivery for `key` was claimed and waits for a slot."""
        self._get(key).claimed += 1

    @asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[CircuitBreaker]:
        """Hold one of the endpoint's slots; the claim ends when the block does."""
        ep = self._get(key)
        try:
            async with ep.slots:
                yield ep.breaker
        finally:
            ep.claimed -= 1
            if ep.claimed == 0 and ep.breaker.opened_at is None:
                # Forget idle healthy endpoints so the map stays small.
                self._all.pop(key, None)
            if ep.claimed == self.limit and self._on_room is not None:
                self._on_room()


@dataclass
class GoneSubscriptions:
    """Subscriptions whose receiver answered 410 Gone in this process.

    Between that answer and the commit that disables the subscription (and parks
    its pending rows), deliveries already claimed for it must not be attempted:
    they are parked without an attempt. Deliveries claimed after the commit are
    not affected (a later update may have made the subscription active again).
    """

    keep_s: float = 120.0
    clock: Callable[[], float] = time.monotonic
    _marks: dict[UUID, float | None] = field(default_factory=dict)

    def mark(self, subscription_id: UUID) -> None:
        """Its receiver answered 410; the disable is not committed yet."""
        self._marks[subscription_id] = None

    def committed(self, subscription_id: UUID) -> None:
        """The disable was committed now; forget old marks."""
        now = self.clock()
        if subscription_id in self._marks:
            self._marks[subscription_id] = now
        for key, at in list(self._marks.items()):
            if at is not None and at + self.keep_s < now:
                del self._marks[key]

    def blocks(self, subscription_id: UUID | None, *, claimed_at: float) -> bool:
        """Whether a delivery claimed at `claimed_at` must be parked instead of attempted."""
        if subscription_id is None or subscription_id not in self._marks:
            return False
        at = self._marks[subscription_id]
        return at is None or claimed_at < at
