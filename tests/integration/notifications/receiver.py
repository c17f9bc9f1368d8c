"""A tiny HTTP/1.1 webhook receiver on 127.0.0.1:0, answering from a script of statuses."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Received:
    """One request as the receiver saw it (header names lower-cased)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0  # what the receiver answered


@dataclass
class Receiver:
    """Records every request; answers the next scripted status, then `default_status`."""

    statuses: list[int] = field(default_factory=list)
    default_status: int = 200
    requests: list[Received] = field(default_factory=list)
    port: int = 0
    delay_s: float = 0.0  # how long each answer takes (a slow receiver)
    path: str = "/hooks/matches"

    @property
    def url(self) -> str:
        """Where deliveries should go."""
        return f"http://127.0.0.1:{self.port}{self.path}"

    def acknowledged(self) -> list[str]:
        """The delivery ids of the requests answered with 2xx, in arrival order."""
        return [r.headers["x-drehscheibe-delivery"] for r in self.requests if 200 <= r.status < 300]

    def delivery_ids(self) -> list[str]:
        """The delivery id header of every request, in arrival order."""
        return [r.headers["x-drehscheibe-delivery"] for r in self.requests]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            request_line, *header_lines = head.rstrip("\r\n").split("\r\n")
            method, path, _ = request_line.split(" ", 2)
            headers = {}
            for line in header_lines:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            status = self.statuses.pop(0) if self.statuses else self.default_status
            self.requests.append(Received(method, path, headers, body, status))
            if self.delay_s:
                try:
                    await asyncio.sleep(self.delay_s)  # simulates a slow receiver, not a wait
                except asyncio.CancelledError:
                    return  # the receiver is shutting down with this request unanswered
            # One request per connection keeps the parser trivial; httpx reconnects.
            head_out = f"HTTP/1.1 {status} Scripted\r\nContent-Length: 0\r\nConnection: close"
            writer.write(f"{head_out}\r\n\r\n".encode())
            await writer.drain()
        finally:
            writer.close()


@asynccontextmanager
async def receiving(statuses: list[int] | None = None, *, port: int = 0) -> AsyncIterator[Receiver]:
    """Run a receiver (on `port`, or any free one) for the duration of the block."""
    receiver = Receiver(statuses=list(statuses or []))
    server = await asyncio.start_server(receiver._handle, "127.0.0.1", port)
    receiver.port = server.sockets[0].getsockname()[1]
    async with server:
        yield receiver
