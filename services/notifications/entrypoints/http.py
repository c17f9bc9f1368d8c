"""The service's own HTTP routes: re-drive of parked deliveries, for operators."""

from __future__ import annotations

import hmac
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse, Response

from services.notifications.service_layer.redrive import RedriveResult, redrive

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://drehscheibe.example/problems/"

_PROBLEMS = {
    RedriveResult.NOT_FOUND: (404, "Delivery not found", "not-found"),
    RedriveResult.NOT_PARKED: (409, "Delivery is not parked", "not-parked"),
    RedriveResult.SUBSCRIPTION_INACTIVE: (409, "Subscription is not active", "inactive"),
}


def problem(status: int, title: str, detail: str, kind: str) -> JSONResponse:
    """An RFC 9457 problem-details response."""
    body = {"type": f"{TYPE_BASE}{kind}", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


class _RefusedError(Exception):
    def __init__(self, response: JSONResponse) -> None:
        self.response = response


def _admin(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    token = request.app.state.container.settings.admin_token
    if token is None:
        raise _RefusedError(problem(404, "Not found", "re-drive is disabled", "disabled"))
    expected = f"Bearer {token.get_secret_value()}".encode()
    if authorization is None or not hmac.compare_digest(authorization.encode(), expected):
        response = problem(401, "Unauthorized", "a valid admin token is required", "unauthorized")
        response.headers["WWW-Authenticate"] = "Bearer"
        raise _RefusedError(response)


Admin = Annotated[None, Depends(_admin)]


def router() -> APIRouter:
    """POST /v1/deliveries/{id}/redrive."""
    routes = APIRouter()

    @routes.post("/v1/deliveries/{delivery_id}/redrive", status_code=202)
    async def redrive_delivery(delivery_id: UUID, request: Request, _: Admin) -> Response:
        result = await redrive(request.app.state.container.uow, delivery_id)
        if result is RedriveResult.REDRIVEN:
            return JSONResponse({"delivery_id": str(delivery_id), "status": "pending"}, 202)
        status, title, kind = _PROBLEMS[result]
        return problem(status, title, f"delivery {delivery_id}: {result.value}", kind)

    return routes


def install(app: FastAPI) -> None:
    """Add the routes and the handler that turns refusals into problem details."""

    async def refused(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, _RefusedError)
        return exc.response

    app.add_exception_handler(_RefusedError, refused)
    app.include_router(router())
