"""Sends one signed webhook attempt over HTTP."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from typing import Protocol

from pydantic import SecretStr

from services.notifications.adapters.http_client import Poster, PostFailedError
from services.notifications.adapters.resolver import Resolve, safe_address, system_resolve
from services.notifications.domain.delivery import DueDelivery, request_headers
from services.notifications.domain.outcome import AttemptResult
from services.notifications.domain.urlpolicy import UnsafeUrlError, parse_target


class Sender(Protocol):
    """Makes one delivery attempt and says how it went; never raises for a failed attempt."""

    async def send(self, delivery: DueDelivery) -> AttemptResult:
        """Attempt the delivery once."""
        ...


WebhookSender = Sender


def result_of(status_code: int) -> AttemptResult:
    """How an HTTP answer counts: 2xx delivered, 410 gone, anything else a failure."""
    if 200 <= status_code < 300:
        return AttemptResult()
    if status_code == 410:
        return AttemptResult(gone=True)
    # Redirects are not followed (a receiver must not bounce signed data elsewhere),
    # so a 3xx fails like any other answer. Only 5xx and 429 mean the receiver is
    # in trouble; a 4xx is its considered answer and leaves its breaker closed.
    healthy = status_code < 500 and status_code != 429
    return AttemptResult(error=f"HTTP {status_code}", healthy=healthy)


class HttpWebhookSender:
    """POSTs deliveries; subscription targets go through the address policy.

    The operator webhook (deliveries without a subscription) is configuration the
    operator trusts and is called as configured, signed with the operator secret.
    """

    def __init__(
        self,
        poster: Poster,
        secret: SecretStr,
        *,
        clock: Callable[[], float] = time.time,
        resolve: Resolve = system_resolve,
        allow_insecure_localhost: bool = False,
    ) -> None:
        self._poster, self._secret, self._clock = poster, secret, clock
        self._resolve, self._allow_local = resolve, allow_insecure_localhost

    async def send(self, delivery: DueDelivery) -> AttemptResult:
        """POST the body; see `result_of` for how the answer counts."""
        secret = delivery.secret or self._secret.get_secret_value()
        headers = request_headers(delivery, secret=secret.encode(), timestamp=int(self._clock()))
        url, server_hostname = delivery.target_url, None
        try:
            if delivery.subscription_id is not None:
                url, server_hostname = await self._pinned(delivery.target_url, headers)
            status = await self._poster.post(
                url, body=delivery.body, headers=headers, server_hostname=server_hostname
            )
        except UnsafeUrlError as exc:
            return AttemptResult(error=f"unsafe target: {exc}"[:1000])
        except PostFailedError as exc:
            return AttemptResult(error=str(exc)[:1000], healthy=False)
        return result_of(status)

    async def _pinned(self, url: str, headers: dict[str, str]) -> tuple[str, str | None]:
        """The URL rewritten to the checked address, so the connection goes where we checked."""
        target = parse_target(url, allow_insecure_localhost=self._allow_local)
        address = await safe_address(
            target, resolve=self._resolve, allow_loopback=self._allow_local
        )
        host = f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else str(address)
        headers["Host"] = (
            target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
        )
        # TLS still sends and verifies the certificate against the name in the URL.
        server_hostname = target.host if target.scheme == "https" else None
        return f"{target.scheme}://{host}:{target.port}{target.path}", server_hostname
