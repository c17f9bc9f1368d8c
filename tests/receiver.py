"""An in-process webhook receiver for tests: records every request it gets."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import uvicorn
from fastapi import FastAPI, Request, Response

from tests.waiting import eventually


@dataclass(frozen=True, slots=True)
class Received:
    """One request as it arrived."""

    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """The receiver's address and what it has received so far."""

    url: str
    received: list[Received] = field(default_factory=list)
    status_codes: list[int] = field(default_factory=list)  # answers to give, then 204


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@asynccontextmanager
async def webhook_receiver() -> AsyncIterator[Receiver]:
    """Serve POST /hook on a free loopback port for the duration of the block."""
    port = free_port()
    receiver = Receiver(url=f"http://127.0.0.1:{port}/hook")
    app = FastAPI()

    @app.post("/hook")
    async def hook(request: Request) -> Response:
        receiver.received.append(Received(dict(request.headers), await request.body()))
        status = receiver.status_codes.pop(0) if receiver.status_codes else 204
        return Response(status_code=status)

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    try:

        async def started() -> bool:
            return bool(server.started)

        await eventually(started, timeout=10, what="the webhook receiver to start")
        yield receiver
    finally:
        server.should_exit = True
        await task
