"""HTTP latency is recorded per route template and status, not per concrete path."""

from __future__ import annotations

import httpx
from fastapi import FastAPI, HTTPException

from shared.app import TimedRequests
from shared.metrics import metrics


def app() -> FastAPI:
    api = FastAPI()
    api.add_middleware(TimedRequests)

    @api.get("/things/{thing_id}")
    async def thing(thing_id: int) -> dict[str, int]:
        if thing_id == 0:
            raise HTTPException(404)
        return {"id": thing_id}

    return api


def observed(route: str, status: str) -> float:
    labels = {"method": "GET", "route": route, "status": status}
    return (
        metrics().registry.get_sample_value("drehscheibe_http_request_seconds_count", labels) or 0
    )


async def test_requests_are_counted_by_route_template_and_status() -> None:
    before_ok, before_missing = (
        observed("/things/{thing_id}", "200"),
        observed("/things/{thing_id}", "404"),
    )
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/things/7")).status_code == 200
        assert (await client.get("/things/8")).status_code == 200
        assert (await client.get("/things/0")).status_code == 404
    assert observed("/things/{thing_id}", "200") == before_ok + 2
    assert observed("/things/{thing_id}", "404") == before_missing + 1
