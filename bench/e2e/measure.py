"""From acknowledgements and deliveries to figures: end-to-end latency per posting, steps."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Awaitable, Callable, Sequence
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


@dataclass
class Arrivals:
    """Verified webhooks indexed for attribution to the posting that caused them."""

    # vacancy id -> [(arrival, profile id, matched)], profile id -> [(…, vacancy id, …)]
    by_vacancy: dict[str, list[tuple[float, str, float | None]]] = field(default_factory=dict)
    by_profile: dict[str, list[tuple[float, str, float | None]]] = field(default_factory=dict)
    posted: dict[str, float] = field(default_factory=dict)  # id -> the API's answer

    def caused(self, ack: Ack) -> list[tuple[float, float | None]]:
        """(arrival, match made) of the webhooks this posting caused: each names what it
        created and a partner that existed already (a match with a later posting is that
        one's doing)."""
        index = self.by_vacancy if ack.kind == "vacancy" else self.by_profile
        return [
            (t, matched) for own in ack.ids for t, other, matched in index.get(own, ())
            if self.posted.get(other, 0.0) <= ack.answered
        ]  # fmt: skip

    def caused_by(self, ack: Ack) -> float | None:
        """First arrival caused by this posting."""
        return min((t for t, _ in self.caused(ack)), default=None)


def first_arrivals(deliveries: list[Delivery], acks: Sequence[Ack] = ()) -> Arrivals:
    """Index verified webhooks; `acks` (all of the run) tell when each side was posted."""
    out = Arrivals()
    out.posted = {i: a.answered for a in acks for i in a.ids}
    for d in deliveries:
        if d.ok and d.vacancy_id and d.profile_id:
            out.by_vacancy.setdefault(d.vacancy_id, []).append((d.arrived, d.profile_id, d.matched))
            out.by_profile.setdefault(d.profile_id, []).append((d.arrived, d.vacancy_id, d.matched))
    return out


def latencies(acks: list[Ack], arrivals: Arrivals) -> list[float]:
    """Seconds from the API's answer to the first webhook the posting caused."""
    out = []
    for a in acks:
        arrived = arrivals.caused_by(a) if a.status == 201 else None
        if arrived is not None:
            out.append(max(arrived - a.answered, 0.0))
    return out


def _after(moment: float | None, ack: Ack) -> float | None:
    """Milliseconds from the API's answer to `moment`."""
    return None if moment is None else round(1000 * (moment - ack.answered), 1)


@dataclass
class Step:
    """One target rate held for a while."""

    rate: float
    began: float
    ended: float
    acks: list[Ack]
    skipped: int

    def summary(self, first: Arrivals, degraded_ms: float) -> dict[str, Any]:
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
            "slowest": self.slowest(ok, first), "busiest": self.busiest(ok, first),
        }  # fmt: skip

    def busiest(self, ok: list[Ack], first: Arrivals, top: int = 5) -> list[dict[str, Any]]:
        """The postings that caused the most webhooks: when in the step, what, how many."""
        counted = [(len(first.caused(a)), a) for a in ok]
        counted.sort(key=lambda pair: pair[0], reverse=True)
        return [
            {"at_s": round(a.answered - self.began, 2), "kind": a.kind, "webhooks": n}
            for n, a in counted[:top]
        ]

    def slowest(self, ok: list[Ack], first: Arrivals, share: float = 0.01) -> list[dict[str, Any]]:
        """The slowest postings (a share of them): when in the step, what, how slow."""
        # (arrival, match made) of each posting's first webhook, found once per posting
        timed = [(arrival, a) for a in ok if (arrival := min(first.caused(a), default=None))]
        timed.sort(key=lambda pair: pair[0][0] - pair[1].answered, reverse=True)
        return [
            {"at_s": round(a.answered - self.began, 2), "kind": a.kind, "ids": len(a.ids),
             "ms": _after(arrived, a), "matched_ms": _after(matched, a)}
            for (arrived, matched), a in timed[: max(1, int(share * len(timed)))]
        ]  # fmt: skip


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


def cpu_cost(
    before: dict[str, float], after: dict[str, float], postings: int, seconds: float
) -> dict[str, Any]:
    """CPU milliseconds per posting by process (and the whole machine), and how busy it was."""
    spent = {name: max(0.0, after[name] - before.get(name, 0.0)) for name in after}
    per_posting = {name: 1000 * s / max(postings, 1) for name, s in spent.items()}
    busy = spent["machine"] / (seconds * (os.cpu_count() or 1))
    return {"cpu_ms_per_posting": per_posting, "machine_busy": busy}
