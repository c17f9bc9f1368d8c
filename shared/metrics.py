"""Prometheus metrics every service exposes on `/metrics`.

One registry per process, created on first use (never at import time), so that
the shared consumer, dead-letter, outbox and HTTP code can record into it without
every service threading it through its constructors.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


@dataclass
class Metrics:
    """The hub's metrics in their own registry."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    subscriptions: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)

    def __post_init__(self) -> None:
        r = self.registry
        self.events = Counter(
            "drehscheibe_events_total", "Records handled by a consumer, by outcome.",
            ["consumer", "topic", "outcome"], registry=r,
        )  # fmt: skip
        self.handler_seconds = Histogram(
            "drehscheibe_handler_seconds", "Time to apply one record.",
            ["consumer", "topic"], buckets=LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.dead_letters = Counter(
            "drehscheibe_dead_letters_total", "Records sent to the dead-letter topic.",
            ["consumer", "topic", "reason"], registry=r,
        )  # fmt: skip
        self.outbox_backlog = Gauge(
            "drehscheibe_outbox_backlog", "Outbox rows not yet on Kafka.", ["schema"], registry=r
        )
        self.outbox_published = Counter(
            "drehscheibe_outbox_published_total", "Outbox rows published.", ["schema"], registry=r
        )
        self.consumer_lag = Gauge(
            "drehscheibe_consumer_lag", "Records on a topic not yet committed by a group.",
            ["group", "topic"], registry=r,
        )  # fmt: skip
        self.deliveries = Counter(
            "drehscheibe_deliveries_total",
            "Delivery attempts recorded, by outcome: delivered, retried, parked, gone.",
            ["channel", "outcome"], registry=r,
        )  # fmt: skip
        self.http_seconds = Histogram(
            "drehscheibe_http_request_seconds", "HTTP request latency.",
            ["method", "route", "status"], buckets=LATENCY_BUCKETS, registry=r,
        )  # fmt: skip

    def track_lag(self, group: str, topics: tuple[str, ...]) -> None:
        """Remember a consumer group whose lag the runtime reports."""
        self.subscriptions.add((group, topics))


@functools.cache
def metrics() -> Metrics:
    """This process's metrics."""
    return Metrics()


def reason_kind(reason: str) -> str:
    """A low-cardinality label for a dead-letter reason (the text before the first colon)."""
    return reason.split(":", 1)[0][:40]
