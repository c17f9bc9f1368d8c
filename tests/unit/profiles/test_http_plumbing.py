"""Rate limiter, body limit, cursors and If-Match parsing, with small fakes."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from services.profiles.adapters.rate_limit import RateLimiter
from services.profiles.entrypoints.http.dependencies import _decode_cursor, encode_cursor, if_match
from services.profiles.entrypoints.http.middleware import BodyLimitMiddleware
from services.profiles.entrypoints.http.problems import ProblemError


class FakeCounter:
    """Counts in a dict, like Redis would."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    async def hit(self, name: str, ttl_s: int) -> int:
        self.counts[name] = self.counts.get(name, 0) + 1
        return self.counts[name]


class DownCounter:
    async def hit(self, name: str, ttl_s: int) -> int:
        raise RedisConnectionError("connection refused")


class HangingCounter:
    async def hit(self, name: str, ttl_s: int) -> int:
        await asyncio.Event().wait()
        return 0


async def test_the_limiter_refuses_above_the_limit_and_says_when_to_retry() -> None:
    limiter = RateLimiter(FakeCounter(), limit=2, window_s=60, timeout_s=1, clock=lambda: 125.0)
    key = uuid.uuid4()
    verdicts = [await limiter.check(key) for _ in range(3)]
    assert [v.allowed for v in verdicts] == [True, True, False]
    assert verdicts[2].retry_after_s == 55  # the window 120..180 ends in 55 s
    assert (await limiter.check(uuid.uuid4())).allowed


@pytest.mark.parametrize("counter", [DownCounter(), HangingCounter()])
async def test_the_limiter_fails_open(counter: Any) -> None:
    limiter = RateLimiter(counter, limit=1, window_s=60, timeout_s=0.05)
    assert all([(await limiter.check(uuid.uuid4())).allowed for _ in range(3)])


def _echo_app(max_bytes: int) -> BodyLimitMiddleware:
    async def echo(request: Request) -> JSONResponse:
        try:
            return JSONResponse({"size": len(await request.body())})
        except Exception:  # as a framework might: any body failure becomes a 400
            return JSONResponse({"error": "bad body"}, status_code=400)

    app = Starlette(routes=[Route("/", echo, methods=["POST"])])
    return BodyLimitMiddleware(app, max_bytes=max_bytes)


async def test_the_body_limit_refuses_declared_and_streamed_excess() -> None:
    transport = httpx.ASGITransport(app=_echo_app(100))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.post("/", content=b"x" * 100)).json() == {"size": 100}
        declared = await client.post("/", content=b"x" * 101)
        assert declared.status_code == 413
        assert declared.headers["content-type"] == "application/problem+json"

        async def chunks() -> Any:
            for _ in range(5):
                yield b"x" * 30

        streamed = await client.post("/", content=chunks())
        assert (streamed.status_code, streamed.json()["status"]) == (413, 413)


def test_cursors_round_trip_and_foreign_ones_are_refused() -> None:
    cursor = encode_cursor(42)
    assert cursor is not None
    assert _decode_cursor(cursor) == 42
    assert encode_cursor(None) is None
    for bad in ("nonsense", "djE6eA==", "!!!"):
        with pytest.raises(ProblemError):
            _decode_cursor(bad)


@pytest.mark.parametrize(
    ("header", "version"),
    [(None, None), ('"3"', 3), ("3", 3), ('W/"7"', 7), ("*", -1), ('"x"', -1)],
)
async def test_if_match_names_a_version_or_none(header: str | None, version: int | None) -> None:
    assert await if_match(header) == version
