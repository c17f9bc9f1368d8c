"""Request ids: taken or made by the API, bound for the request, carried by its events."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi import FastAPI

from shared.events import CloudEvent, VacancyClosedV1
from shared.outbox import OutboxMessage
from shared.tracing import (
    KAFKA_HEADER,
    RequestIdMiddleware,
    bound_request_id,
    current_request_id,
    valid_request_id,
)


def app() -> FastAPI:
    api = FastAPI()
    api.add_middleware(RequestIdMiddleware)

    @api.get("/seen")
    async def seen() -> dict[str, str | None]:
        return {"request_id": current_request_id()}

    return api


async def get(headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get("/seen", headers=headers)


async def test_a_callers_request_id_is_bound_for_the_request_and_answered() -> None:
    response = await get({"X-Request-ID": "agency-42:batch/7"})
    assert response.headers["x-request-id"] == "agency-42:batch/7"
    assert response.json() == {"request_id": "agency-42:batch/7"}
    assert current_request_id() is None


@pytest.mark.parametrize("given", ["", "with space", "x" * 129, 'quote"d', "zeile\u00e4"])
async def test_an_unacceptable_request_id_is_replaced_by_a_fresh_one(given: str) -> None:
    response = await get({"X-Request-ID": given} if given.isascii() else {})
    made = response.headers["x-request-id"]
    assert made != given
    assert valid_request_id(made) == made
    assert response.json() == {"request_id": made}


def test_events_carry_the_request_id_in_the_envelope_and_a_header() -> None:
    payload = VacancyClosedV1.model_validate(
        {"vacancy_id": "0b6f1a52-3c1e-4d5e-9f3a-2b1c0d9e8f7a", "version": 2, "reason": "filled"}
    )
    with bound_request_id("req-1"):
        event = CloudEvent.wrap(payload, source="profiles", request_id=current_request_id())
    message = OutboxMessage.of_event("hub.vacancies.v1", "k", event)
    assert message.value is not None
    assert json.loads(message.value)["requestid"] == "req-1"
    assert message.headers[KAFKA_HEADER] == "req-1"
    untraced = CloudEvent.wrap(payload, source="profiles")
    assert "requestid" not in json.loads(untraced.to_bytes())
    assert KAFKA_HEADER not in OutboxMessage.of_event("t", "k", untraced).headers


def test_an_unacceptable_requestid_attribute_is_dropped_not_fatal() -> None:
    raw = json.loads(CloudEvent.wrap(
        VacancyClosedV1.model_validate(
            {"vacancy_id": "0b6f1a52-3c1e-4d5e-9f3a-2b1c0d9e8f7a", "version": 2, "reason": "filled"}
        ),
        source="agency",
    ).to_bytes())  # fmt: skip
    raw["requestid"] = "bad id\nwith newline"
    assert CloudEvent.model_validate(raw).requestid is None
