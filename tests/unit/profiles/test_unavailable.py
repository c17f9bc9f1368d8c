"""Storage outages answer 503 problem details with Retry-After, never a bare 500."""

from __future__ import annotations

import httpx
import pytest
from asyncpg.exceptions import (
    CannotConnectNowError,
    ConnectionDoesNotExistError,
    InternalClientError,
)
from fastapi import FastAPI
from redis.exceptions import ConnectionError as RedisConnectionError

from services.profiles.entrypoints.http import problems


def _app(error: Exception) -> FastAPI:
    app = FastAPI()
    problems.install(app)

    @app.get("/fails")
    async def fails() -> None:
        raise error

    return app


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError("connect call failed"),
        ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        CannotConnectNowError("the database system is starting up"),
        InternalClientError("cannot switch to state 12; another operation (2) is in progress"),
        TimeoutError(),
        RedisConnectionError("connection refused"),
    ],
    ids=["refused", "closed", "starting-up", "terminated-mid-protocol", "pool-timeout", "redis"],
)
async def test_an_unreachable_store_is_a_503_problem_to_retry(error: Exception) -> None:
    transport = httpx.ASGITransport(app=_app(error))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        response = await client.get("/fails")
    assert response.status_code == 503
    assert response.headers["content-type"] == problems.PROBLEM_JSON
    assert response.headers["retry-after"] == str(problems.RETRY_AFTER_S)
    assert response.json()["type"].endswith("/unavailable")


async def test_a_programming_error_is_still_not_dressed_up_as_an_outage() -> None:
    transport = httpx.ASGITransport(app=_app(KeyError("bug")), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        response = await client.get("/fails")
    assert response.status_code == 500
