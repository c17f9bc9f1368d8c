"""From acknowledgements and deliveries to figures: end-to-end latency per posting, steps."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.hub.deliveries import Delivery, Receiver
from bench.hub.kafka_state import Offsets, service_of
from bench.hub.load import Ack
from bench.hub.processes import Hub


def pct(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def first_arrivals(deliveries: list[Delivery]) -> dict[str, float]:
    """Earliest verified webhook per vacancy id and per profile id."""
    first: dict[str, float] = {}
    for d in deliveries:
        if not d.ok:
            continue
        for key in (d.vacancy_id, d.profile_id):
            if key and (key not in first or d.arrived < first[key]):
                first[key] = d.arrived
    return first


def latencies(acks: list[Ack], first: dict[str, float]) -> list[float]:
    """Seconds from the API's answer to the first webhook naming what the posting created."""
    out = []
    for a in acks:
        arrivals = [first[i] for i in a.ids if i in first]
        if a.status == 201 and arrivals:
            out.append(max(min(arrivals) - a.answered, 0.0))
    return out


@dataclass
class Step:
    """One target rate held for a while."""

    rate: float
    began: float
    ended: float
    acks: list[Ack]
    skipped: int

    def summary(self, first: dict[str, float], degraded_ms: float) -> dict[str, Any]:
        """Figures of this step and whether the hub sustained it."""
        ok = [a for a in self.acks if a.status == 201]
        lat = [1000 * x for x in latencies(ok, first)]
        api = [1000 * (a.answered - a.sent) for a in ok]
        wanted = self.rate * (self.ended - self.began)
        p99 = pct(lat, 0.99)
        sustained = len(ok) >= 0.95 * wanted and bool(lat) and p99 <= degraded_ms
        return {
            "target_per_s": self.rate, "acknowledged": len(ok), "failed": len(self.acks) - len(ok),
            "skipped": self.skipped, "achieved_per_s": len(ok) / (self.ended - self.began),
            "with_webhook": len(lat), "p50_ms": pct(lat, 0.5), "p95_ms": pct(lat, 0.95),
            "p99_ms": p99, "max_ms": max(lat, default=float("nan")),
            "api_p50_ms": pct(api, 0.5), "api_p99_ms": pct(api, 0.99), "sustained": sustained,
        }  # fmt: skip


@dataclass
class Timeline:
    """Once a second: postings acknowledged, webhooks received, lag per service, RSS."""

    hub: Hub
    receiver: Receiver
    offsets: Offsets
    acks: Callable[[], int]
    pending: Callable[[], Awaitable[int]] | None = None  # deliveries waiting in the ledger
    samples: list[dict[str, Any]] = field(default_factory=list)

    async def run(self, stop: asyncio.Event) -> None:
        """Sample until `stop` is set."""
        while not stop.is_set():
            self.receiver.collect()
            lag: dict[str, int] = {}
            try:
                for group, n in (await self.offsets.lag()).items():
                    service = service_of(group, self.offsets.prefix)
                    lag[service] = lag.get(service, 0) + n
            except Exception as exc:  # a lag reading may fail while the broker is busy
                lag = {"error": -1, type(exc).__name__: -1}
            waiting = await self.pending() if self.pending else -1
            self.samples.append({
                "pending_deliveries": waiting,
                "t": time.time(), "acknowledged": self.acks(),
                "webhooks": len(self.receiver.seen), "lag": lag, "rss_mib": self.hub.sample_rss(),
            })  # fmt: skip
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1.0)
