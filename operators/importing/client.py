"""Sends batches to the public API, retrying what is worth retrying."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from operators.importing.kinds import Kind, batch_path

RETRIED_STATUSES = frozenset({429, 502, 503, 504})


class ImportAbortedError(RuntimeError):
    """The API refused a whole batch (bad key, forbidden, too large): retrying cannot help."""


class BatchClient:
    """POSTs batches; transport errors and 429/5xx-unavailable are retried with backoff."""

    def __init__(self, http: httpx.AsyncClient, *, attempts: int = 8, pause_s: float = 0.5) -> None:
        self._http, self._attempts, self._pause_s = http, attempts, pause_s

    async def send(self, kind: Kind, items: list[dict[str, Any]]) -> dict[str, Any]:
        """The API's per-item results of one batch."""
        pause = self._pause_s
        for attempt in range(1, self._attempts + 1):
            last = attempt == self._attempts
            try:
                response = await self._http.post(batch_path(kind), json={"items": items})
            except httpx.TransportError:
                if last:
                    raise
                await asyncio.sleep(pause)
                pause = min(pause * 2, 10.0)
                continue
            if response.status_code == 200:
                result: dict[str, Any] = response.json()
                return result
            if response.status_code not in RETRIED_STATUSES or last:
                raise ImportAbortedError(_describe(response))
            wait = response.headers.get("Retry-After", "")
            await asyncio.sleep(float(wait) if wait.isdigit() else pause)
            pause = min(pause * 2, 10.0)
        raise AssertionError("unreachable: the last attempt returns or raises")


def _describe(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail", response.text)
    except ValueError:
        detail = response.text
    return f"the API answered {response.status_code}: {str(detail)[:500]}"
