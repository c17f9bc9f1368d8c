"""The delivery worker: claims due deliveries and attempts each in its endpoint's lane."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import asyncpg
import structlog

from services.notifications.adapters.repository import NOTIFY_CHANNEL, DeliveryRepository
from services.notifications.adapters.webhook import Sender
from services.notifications.domain.delivery import DueDelivery
from services.notifications.domain.isolation import Endpoints, GoneSubscriptions
from services.notifications.domain.outcome import (
    GONE_PARK_ERROR,
    AttemptResult,
    Parked,
    Transition,
    decide,
)
from services.notifications.service_layer.recorder import OutcomeRecorder
from shared.backoff import Backoff
from shared.db import Connection
from shared.tracing import bound_request_id
from shared.waking import woken_or_polled

_log = structlog.get_logger("notifications.worker")
EXPIRED_ERROR = "expired before it could be delivered"


@dataclass(frozen=True, slots=True)
class WorkerPolicy:
    """How hard the worker tries, how much it does at once and how often it looks."""

    max_attempts: int
    backoff: Callable[[int], float]
    lease_s: float
    batch_size: int = 50
    poll_interval_s: float = 1.0
    max_in_flight: int = 200
    max_age_s: float | None = None


class DeliveryWorker:
    """Delivers pending rows until cancelled; woken by NOTIFY, polling as a fallback.

    The claim loop never waits for an attempt: each runs as its own task behind its
    endpoint's slots, so a slow receiver holds only its own slots, and endpoints that
    are saturated or whose breaker is open are left out of the next claim.
    """

    def __init__(
        self,
        pool: asyncpg.Pool[asyncpg.Record],
        senders: dict[str, Sender],
        policy: WorkerPolicy,
        *,
        endpoints: Endpoints,
        recorder: OutcomeRecorder,
    ) -> None:
        self._pool, self._senders, self._policy = pool, senders, policy
        self._endpoints, self._recorder = endpoints, recorder
        self._gone = GoneSubscriptions(keep_s=policy.lease_s)
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        # Whether the last round found no room at all under the total in-flight cap:
        # then any finished attempt makes a new claim worthwhile. A busy endpoint
        # signals by itself when it has room again (see Endpoints).
        self._held_back = False
        self._backoff = Backoff()
        endpoints.on_room(self._wake.set)

    async def run(self) -> None:
        """Work forever; survive database outages with a growing pause."""
        try:
            while True:
                try:
                    await self._listen_and_work()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    pause = self._backoff.next_pause()
                    _log.exception("delivery worker failed; restarting", pause_s=pause)
                    await asyncio.sleep(pause)
        finally:
            attempts = list(self._tasks)
            for task in attempts:
                task.cancel()
            # Let them unwind before the pool closes: one cancelled while postponing
            # gives its connection back on the way out.
            await asyncio.gather(*attempts, return_exceptions=True)

    async def _listen_and_work(self) -> None:
        async with self._pool.acquire() as conn:
            # Claims run on this connection, the worker's own for as long as it runs.
            # Every claim and every outcome leaves a dead entry in the partial
            # `deliveries_due` index until vacuum: a bitmap scan visits them all on
            # each claim (thousands of heap pages after a few minutes of load), a
            # plain index scan in due order marks them dead once and stops at its
            # limit. The pool's reset on release undoes the setting.
            await conn.execute("SET enable_bitmapscan = off")
            await conn.add_listener(NOTIFY_CHANNEL, self._on_notify)
            try:
                while True:
                    self._wake.clear()
                    room = self._policy.max_in_flight - len(self._tasks)
                    wanted = min(room, self._policy.batch_size)
                    self._held_back = wanted == 0
                    claimed = await self.claim_and_start(conn, wanted) if wanted > 0 else 0
                    self._backoff.recovered()
                    if claimed < wanted or wanted == 0:
                        # A lost notification only delays a delivery until the next poll.
                        await woken_or_polled(self._wake, self._policy.poll_interval_s)
            finally:
                await conn.remove_listener(NOTIFY_CHANNEL, self._on_notify)

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    async def claim_and_start(self, conn: Connection, limit: int) -> int:
        """Claim up to `limit` due deliveries on `conn` and start an attempt for each."""
        # Taken before the claim: a row claimed here was pending before any disable
        # committed after this instant (see GoneSubscriptions).
        claimed_at = time.monotonic()
        due = await DeliveryRepository(conn).claim_due(
            limit=limit,
            lease_s=self._policy.lease_s,
            rooms=self._endpoints.rooms(),
            per_endpoint=self._endpoints.idle_room,
        )
        for delivery in due:
            self._endpoints.claimed(delivery.endpoint)
            task = asyncio.create_task(self._attempt(delivery, claimed_at=claimed_at))
            self._tasks.add(task)
            task.add_done_callback(self._finished)
        return len(due)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._held_back:
            # The total cap held the last round back; now there is room.
            self._wake.set()

    async def _attempt(self, delivery: DueDelivery, *, claimed_at: float) -> None:
        async with self._endpoints.slot(delivery.endpoint) as breaker:
            if delivery.expired:
                self._recorder.put(delivery, Parked(delivery.attempts + 1, EXPIRED_ERROR))
                return
            if self._gone.blocks(delivery.subscription_id, claimed_at=claimed_at):
                self._recorder.put(delivery, Parked(delivery.attempts + 1, GONE_PARK_ERROR))
                return
            if not breaker.try_start():
                await self._postpone(delivery, breaker.cooldown_s)
                return
            result = await self._send(delivery)
            breaker.record(healthy=result.healthy)
        sid = delivery.subscription_id
        if not result.gone or sid is None:
            self._recorder.put(delivery, self.transition(delivery, result))
            return
        # Stop attempting its other claimed deliveries now, not once the disable commits.
        self._gone.mark(sid)
        self._recorder.put(
            delivery, self.transition(delivery, result), after=partial(self._gone.committed, sid)
        )

    async def _send(self, delivery: DueDelivery) -> AttemptResult:
        with bound_request_id(delivery.request_id):
            try:
                result = await self._senders[delivery.channel].send(delivery)
            except Exception as exc:
                # A sender bug must still count as a failed attempt, not vanish.
                _log.exception("attempt raised", delivery_id=str(delivery.delivery_id))
                return AttemptResult(error=f"{type(exc).__name__}: {exc}"[:1000])
            _log.info(
                "delivery attempted", delivery_id=str(delivery.delivery_id),
                channel=delivery.channel, error=result.error,
            )  # fmt: skip
            return result

    def transition(self, delivery: DueDelivery, result: AttemptResult) -> Transition:
        """The delivery's next state after `result`."""
        return self.decide_with(self._policy, delivery, result)

    @staticmethod
    def decide_with(
        policy: WorkerPolicy, delivery: DueDelivery, result: AttemptResult
    ) -> Transition:
        """The next state of `delivery` after `result` under `policy`."""
        return decide(
            delivery.attempts,
            result,
            max_attempts=policy.max_attempts,
            backoff=policy.backoff,
            attempts_before_redrive=delivery.attempts_before_redrive,
            age_s=delivery.age_s,
            max_age_s=policy.max_age_s,
        )

    async def _postpone(self, delivery: DueDelivery, delay_s: float) -> None:
        # The breaker is open: give the row back without spending an attempt.
        async with self._pool.acquire() as conn:
            await DeliveryRepository(conn).postpone(delivery.delivery_id, delay_s=delay_s)
