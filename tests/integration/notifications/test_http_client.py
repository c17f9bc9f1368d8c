"""The delivery HTTP client against loopback receivers: no redirects, keep-alive, failures."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from services.notifications.adapters.http_client import (
    AiohttpPoster,
    PostFailedError,
    create_session,
)
from tests.integration.notifications.receiver import receiving
from tests.receiver import free_port

pytestmark = pytest.mark.integration


@asynccontextmanager
async def poster(timeout_s: float = 2.0) -> AsyncIterator[AiohttpPoster]:
    session = create_session(timeout_s=timeout_s, max_connections=8)
    try:
        yield AiohttpPoster(session)
    finally:
        await session.close()


async def test_the_status_is_returned_and_a_redirect_is_not_followed() -> None:
    async with receiving(statuses=[307]) as receiver, poster() as http:
        status = await http.post(
            receiver.url, body=b"{}", headers={"Host": "hub.example:8443"}, server_hostname=None
        )
    assert status == 307
    [request] = receiver.requests
    assert (request.method, request.body) == ("POST", b"{}")
    assert request.headers["host"] == "hub.example:8443"


async def test_connections_are_kept_alive_between_attempts() -> None:
    connections = 0

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while head := await reader.readuntil(b"\r\n\r\n"):
            length = [h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")]
            await reader.readexactly(int(length[0].split(b":")[1]))
            writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hook"
    async with server, poster() as http:
        statuses = [
            await http.post(url, body=b"x" * n, headers={}, server_hostname=None)
            for n in range(1, 6)
        ]
    assert statuses == [204] * 5
    assert connections == 1


async def test_no_answer_is_a_failed_post() -> None:
    url = f"http://127.0.0.1:{free_port()}/hook"
    async with poster() as http:
        with pytest.raises(PostFailedError, match="ClientConnectorError"):
            await http.post(url, body=b"{}", headers={}, server_hostname=None)


async def test_a_slow_receiver_times_out() -> None:
    async with receiving() as receiver, poster(timeout_s=0.3) as http:
        receiver.delay_s = 5.0
        with pytest.raises(PostFailedError, match="Timeout"):
            await http.post(receiver.url, body=b"{}", headers={}, server_hostname=None)
