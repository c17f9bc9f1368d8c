"""Request ids: one id follows a request from the API through events to the webhook.

The API takes a caller's `X-Request-ID` (when it is a short token) or makes one,
answers with it, and binds it for every log line of the request. Events emitted
meanwhile carry it as the CloudEvents extension attribute `requestid` (and the
Kafka header `ce_requestid`); consumers bind it again while they apply the event,
so whatever they emit or deliver in turn carries the same id.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTTP_HEADER = "X-Request-ID"
KAFKA_HEADER = "ce_requestid"
MAX_LENGTH = 128
# Printable, no spaces or quotes: safe in headers, logs and SQL parameters alike.
_VALID = re.compile(rf"^[A-Za-z0-9._:/+=@-]{{1,{MAX_LENGTH}}}$")
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def valid_request_id(value: object) -> str | None:
    """The value when it is an acceptable request id, else None."""
    return value if isinstance(value, str) and _VALID.match(value) else None


def new_request_id() -> str:
    """A fresh request id."""
    return str(uuid.uuid4())


def current_request_id() -> str | None:
    """The request id of the request or event being handled, if any."""
    return _current.get()


@contextmanager
def bound_request_id(request_id: str | None) -> Iterator[None]:
    """Make `request_id` current and put it on every log line inside the block."""
    token = _current.set(request_id)
    try:
        if request_id is None:
            yield
        else:
            with structlog.contextvars.bound_contextvars(request_id=request_id):
                yield
    finally:
        _current.reset(token)


class RequestIdMiddleware:
    """Binds the request id for the request, answers it in `X-Request-ID`, logs the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._log = structlog.get_logger("http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(HTTP_HEADER.lower().encode(), b"")
        request_id = valid_request_id(given.decode("latin-1")) or new_request_id()
        began, status = time.perf_counter(), 500

        async def answer_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [h for h in message.get("headers", []) if h[0] != b"x-request-id"]
                message["headers"] = [*headers, (b"x-request-id", request_id.encode())]
            await send(message)

        with bound_request_id(request_id):
            try:
                await self.app(scope, receive, answer_with_id)
            finally:
                if scope["path"] not in _QUIET_PATHS:
                    self._log.info(
                        "request handled", method=scope["method"], path=scope["path"],
                        status=status, ms=round((time.perf_counter() - began) * 1000, 1),
                    )  # fmt: skip
