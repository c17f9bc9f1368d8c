"""The HTTP client deliveries go through: aiohttp, keep-alive, no redirects, one timeout.

aiohttp rather than httpx: at the concurrency the worker runs (hundreds of attempts
in flight), httpx's connection pool scans every connection and queued request on
each request and release, and an attempt cost ~4 ms of CPU against ~0.1 ms here
(measured side by side against the same loopback receiver).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import aiohttp

# A receiver's answer body is never used; read at most this much so the connection
# can be kept alive, and let a longer body close it instead of filling memory.
MAX_ANSWER_BYTES = 64 * 1024


class PostFailedError(Exception):
    """The POST got no HTTP answer (connection refused, timeout, bad URL)."""


class Poster(Protocol):
    """POSTs one request without following redirects."""

    async def post(
        self, url: str, *, body: bytes, headers: Mapping[str, str], server_hostname: str | None
    ) -> int:
        """The answer's status code; raises `PostFailedError` when there is no answer."""
        ...


class AiohttpPoster:
    """`Poster` over one aiohttp session (its pool keeps connections alive)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def post(
        self, url: str, *, body: bytes, headers: Mapping[str, str], server_hostname: str | None
    ) -> int:
        """POST `body`; `server_hostname` is the TLS name when `url` holds an address."""
        try:
            async with self._session.post(
                url,
                data=body,
                headers=dict(headers),
                allow_redirects=False,
                server_hostname=server_hostname,
            ) as response:
                await response.content.read(MAX_ANSWER_BYTES)
                return response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise PostFailedError(f"{type(exc).__name__}: {exc}") from exc


def create_session(*, timeout_s: float, max_connections: int) -> aiohttp.ClientSession:
    """A session with at most `max_connections` connections, kept alive between attempts.

    No per-host limit: the worker's per-endpoint slots already bound each receiver,
    and two endpoints on one address must not wait for each other's connections.
    No cookies: one receiver's cookies must never travel with another delivery.
    """
    connector = aiohttp.TCPConnector(limit=max_connections, limit_per_host=0)
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=timeout_s),
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,
    )
