"""A FastAPI application around a service's runtime: lifespan, health, logging."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, Protocol, TypeVar

import uvicorn
from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.health import Check, health_router
from shared.logging import configure_logging
from shared.metrics import metrics
from shared.runtime import Runtime
from shared.settings import CommonSettings
from shared.tracing import RequestIdMiddleware


class HasRuntime(Protocol):
    """A service container: whatever it holds, it has a runtime."""

    @property
    def runtime(self) -> Runtime: ...


S = TypeVar("S", bound=CommonSettings)
C = TypeVar("C", bound=HasRuntime)


def service_app(
    settings: S,
    start: Callable[[S], Awaitable[C]],
    *,
    middleware: Sequence[Middleware] = (),
    **fastapi_args: Any,
) -> FastAPI:
    """An app whose lifespan starts the container (`app.state.container`) and closes it.

    A service's own `middleware` runs inside the latency measurement, so a request it
    answers itself (a 413, say) is still counted.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        container = await start(settings)
        app.state.container = container
        try:
            yield
        finally:
            await container.runtime.close()

    def checks() -> dict[str, Check]:
        container: HasRuntime | None = getattr(app.state, "container", None)
        return container.runtime.checks() if container else {}

    # The request id is bound outermost, so even a request a middleware refuses has one.
    outer = [Middleware(RequestIdMiddleware), Middleware(TimedRequests)]
    app = FastAPI(lifespan=lifespan, middleware=[*outer, *middleware], **fastapi_args)
    app.include_router(health_router(checks))
    app.add_api_route("/metrics", _metrics, include_in_schema=False)
    return app


async def _metrics() -> Response:
    return Response(generate_latest(metrics().registry), media_type=CONTENT_TYPE_LATEST)


class TimedRequests:
    """Pure ASGI middleware recording request latency (Starlette's function middleware
    copies every request and response through extra tasks, which costs measurable CPU)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began, status = time.perf_counter(), 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            # The route template, not the path, keeps the label set small (no ids in it).
            route = getattr(scope.get("route"), "path", "unmatched")
            metrics().http_seconds.labels(scope["method"], route, str(status)).observe(
                time.perf_counter() - began
            )


def serve(create_app: Callable[[S], FastAPI], settings: S, *, host: str, port: int) -> None:
    """Configure logging for the process, then run the app with uvicorn."""
    configure_logging(
        service=settings.service_name, level=settings.log_level, fmt=settings.log_format
    )
    # log_config=None keeps the structlog handlers configure_logging installed.
    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)
