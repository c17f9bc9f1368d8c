"""What a delivery sends: the body, the headers, and the state after an attempt."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import UUID, uuid4

from services.notifications.domain.delivery import (
    DueDelivery,
    build_body,
    new_delivery,
    request_headers,
)
from services.notifications.domain.outcome import (
    AttemptResult,
    Delivered,
    Disabled,
    Parked,
    Retry,
    decide,
)
from services.notifications.domain.signing import verify

DELIVERY_ID = UUID("0b9e4b5e-8f5c-4c36-a0f4-7a2f9c1a9d11")
OCCURRED_AT = datetime(2025, 6, 1, 12, 30, tzinfo=UTC)
DATA = {"vacancy_id": "v1", "score": 0.75, "gap": [], "ort": "Aalen"}


def test_body_is_a_json_object_with_id_type_time_and_data() -> None:
    body = build_body(
        delivery_id=DELIVERY_ID, event_type="t.v1", occurred_at=OCCURRED_AT, data=DATA
    )
    assert json.loads(body) == {
        "delivery_id": str(DELIVERY_ID),
        "type": "t.v1",
        "occurred_at": "2025-06-01T12:30:00+00:00",
        "data": DATA,
    }


def test_body_is_compact_utf8() -> None:
    body = build_body(
        delivery_id=DELIVERY_ID, event_type="t", occurred_at=OCCURRED_AT, data={"ort": "Tübingen"}
    )
    assert b" " not in body
    assert "Tübingen".encode() in body


def test_new_delivery_embeds_its_own_id_in_the_body() -> None:
    source = uuid4()
    delivery = new_delivery(
        source_event_id=source,
        target_url="http://hub.example/hook",
        event_type="t.v1",
        occurred_at=OCCURRED_AT,
        data=DATA,
    )
    assert delivery.source_event_id == source
    assert json.loads(delivery.body)["delivery_id"] == str(delivery.delivery_id)


def test_headers_carry_ids_and_a_signature_over_the_timestamped_body() -> None:
    due = DueDelivery(DELIVERY_ID, "http://hub.example/hook", "t.v1", b'{"a":1}', attempts=0)
    headers = request_headers(due, secret=b"k", timestamp=1_700_000_000)
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Drehscheibe-Delivery"] == str(DELIVERY_ID)
    assert headers["X-Drehscheibe-Event"] == "t.v1"
    assert headers["X-Drehscheibe-Timestamp"] == "1700000000"
    signature = headers["X-Drehscheibe-Signature"]
    assert verify(b"k", 1_700_000_000, due.body, signature, now=1_700_000_000)


def _no_wait(attempt: int) -> float:
    return attempt / 10


def test_success_is_delivered_and_counts_the_attempt() -> None:
    assert decide(2, AttemptResult(), max_attempts=5, backoff=_no_wait) == Delivered(3)


def test_failure_before_the_last_attempt_is_retried_after_the_backoff() -> None:
    result = AttemptResult(error="HTTP 500")
    assert decide(0, result, max_attempts=5, backoff=_no_wait) == Retry(1, 0.1, "HTTP 500")


def test_failure_of_the_last_attempt_parks_the_delivery() -> None:
    result = AttemptResult(error="ConnectError: refused")
    assert decide(4, result, max_attempts=5, backoff=_no_wait) == Parked(5, "ConnectError: refused")


def test_a_single_allowed_attempt_parks_on_first_failure() -> None:
    result = AttemptResult(error="HTTP 502")
    assert decide(0, result, max_attempts=1, backoff=_no_wait) == Parked(1, "HTTP 502")


def test_410_disables_whatever_the_attempt() -> None:
    result = AttemptResult(gone=True)
    assert decide(0, result, max_attempts=5, backoff=_no_wait) == Disabled(1)
    assert Disabled(1).error == "410 Gone: subscription disabled"


def test_a_redriven_delivery_gets_a_fresh_budget_and_counts_on() -> None:
    result = AttemptResult(error="HTTP 500")
    assert decide(5, result, max_attempts=5, backoff=_no_wait, attempts_before_redrive=5) == Retry(
        6, 0.1, "HTTP 500"
    )
    assert decide(9, result, max_attempts=5, backoff=_no_wait, attempts_before_redrive=5) == Parked(
        10, "HTTP 500"
    )


def test_a_delivery_past_its_maximum_age_is_parked() -> None:
    result = AttemptResult(error="HTTP 500")
    transition = decide(1, result, max_attempts=9, backoff=_no_wait, age_s=99.9, max_age_s=100)
    assert transition == Parked(2, "HTTP 500 (maximum age reached)")
