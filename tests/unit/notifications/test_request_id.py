"""A delivery carries the request id of the event it came from, as X-Request-ID."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from services.notifications.domain.delivery import (
    REQUEST_ID_HEADER,
    DueDelivery,
    Routing,
    request_headers,
)
from services.notifications.domain.routing import Recipient, deliveries_for
from shared.events import CloudEvent


def _envelope(request_id: str | None) -> CloudEvent:
    return CloudEvent(
        source="urn:drehscheibe:matching", type="de.drehscheibe.match.found.v1",
        subject="v:p", time=datetime(2026, 1, 1, tzinfo=UTC), data={}, requestid=request_id,
    )  # fmt: skip


def test_routed_deliveries_keep_the_events_request_id() -> None:
    hook = Recipient(uuid.uuid4(), "webhook", "https://hub.example/hook", None, digest=False)
    [traced] = deliveries_for(_envelope("req-7"), {}, [hook], Routing())
    [untraced] = deliveries_for(_envelope(None), {}, [hook], Routing())
    assert (traced.request_id, untraced.request_id) == ("req-7", None)


def test_an_attempt_sends_the_request_id_only_when_there_is_one() -> None:
    due = DueDelivery(uuid.uuid4(), "https://hub.example/hook", "t", b"{}", 0, request_id="r-1")
    assert request_headers(due, secret=b"s", timestamp=1)[REQUEST_ID_HEADER] == "r-1"
    plain = DueDelivery(uuid.uuid4(), "https://hub.example/hook", "t", b"{}", 0)
    assert REQUEST_ID_HEADER not in request_headers(plain, secret=b"s", timestamp=1)
