"""Sends one signed webhook attempt over HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

import httpx
from pydantic import SecretStr

from services.notifications.domain.delivery import DueDelivery, request_headers
from services.notifications.domain.outcome import AttemptResult


class WebhookSender(Protocol):
    """Makes one delivery attempt and says how it went; never raises for a failed attempt."""

    async def send(self, delivery: DueDelivery) -> AttemptResult:
        """POST the delivery once."""
        ...


class HttpWebhookSender:
    """POSTs deliveries with httpx, signed with the shared secret."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        secret: SecretStr,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client, self._secret, self._clock = client, secret, clock

    async def send(self, delivery: DueDelivery) -> AttemptResult:
        """POST the body; a 2xx answer is success, anything else an error to retry."""
        headers = request_headers(
            delivery,
            secret=self._secret.get_secret_value().encode(),
            timestamp=int(self._clock()),
        )
        try:
            response = await self._client.post(
                delivery.target_url, content=delivery.body, headers=headers
            )
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return AttemptResult(error=f"{type(exc).__name__}: {exc}"[:1000])
        if response.is_success:
            return AttemptResult()
        # Redirects are not followed (a receiver must not bounce signed data
        # elsewhere), so a 3xx counts as a failure like any other non-2xx.
        return AttemptResult(error=f"HTTP {response.status_code}")


def create_http_client(*, timeout_s: float) -> httpx.AsyncClient:
    """The client deliveries go through: no redirects, one timeout per attempt."""
    return httpx.AsyncClient(follow_redirects=False, timeout=timeout_s)
