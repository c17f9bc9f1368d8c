"""Refuse oversized bodies before anything parses them, as problem details."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.profiles.entrypoints.http.problems import PROBLEM_JSON, TYPE_BASE


class _TooLargeError(Exception):
    pass


class BodyLimitMiddleware:
    """413 when Content-Length, or the bytes actually received, exceed `max_bytes`.

    A declared length is refused before the app runs. A body without one (chunked)
    is counted as it arrives; once it exceeds the limit, reading fails and whatever
    answer the app would give is replaced by the 413 — however the app wrapped the
    failure (FastAPI turns unknown body errors into a 400).
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received, exceeded, refused = 0, False, False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                exceeded = True
                raise _TooLargeError
            return message

        async def replacing_send(message: Message) -> None:
            nonlocal refused
            if not exceeded:
                await send(message)
            elif not refused:
                refused = True
                await self._refuse(send)

        try:
            await self.app(scope, counting_receive, replacing_send)
        except _TooLargeError:
            if not refused:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "type": f"{TYPE_BASE}too-large",
                "title": "Request body too large",
                "status": 413,
                "detail": f"the body exceeds {self.max_bytes} bytes",
            }
        ).encode()
        headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
