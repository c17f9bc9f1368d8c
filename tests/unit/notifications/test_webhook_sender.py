"""The HTTP sender against httpx's in-memory transport (a fake receiver, no network)."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import httpx
from pydantic import SecretStr

from services.notifications.adapters.webhook import HttpWebhookSender
from services.notifications.domain.delivery import DueDelivery
from services.notifications.domain.signing import verify

NOW = 1_760_000_000
DELIVERY = DueDelivery(uuid4(), "http://hub.example/hook", "t.v1", b'{"x":1}', attempts=0)


def _sender(handler: Callable[[httpx.Request], httpx.Response]) -> HttpWebhookSender:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler), follow_redirects=False)
    return HttpWebhookSender(client, SecretStr("k"), clock=lambda: NOW + 0.7)


async def test_a_2xx_answer_is_success_and_the_request_is_signed() -> None:
    seen: list[httpx.Request] = []

    def receive(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    result = await _sender(receive).send(DELIVERY)

    assert result.ok
    [request] = seen
    assert request.method == "POST"
    assert request.content == DELIVERY.body
    assert request.headers["x-drehscheibe-timestamp"] == str(NOW)
    assert verify(b"k", NOW, request.content, request.headers["x-drehscheibe-signature"], now=NOW)


async def test_an_error_status_is_a_failed_attempt() -> None:
    result = await _sender(lambda _: httpx.Response(503)).send(DELIVERY)
    assert result.error == "HTTP 503"


async def test_a_redirect_is_not_followed() -> None:
    def redirect(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "hub.example", "the redirect target must not be called"
        return httpx.Response(307, headers={"Location": "http://elsewhere.example/"})

    result = await _sender(redirect).send(DELIVERY)
    assert result.error == "HTTP 307"


async def test_a_connection_error_is_a_failed_attempt() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    result = await _sender(refuse).send(DELIVERY)
    assert result.error == "ConnectError: connection refused"


async def test_a_timeout_is_a_failed_attempt() -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    result = await _sender(hang).send(DELIVERY)
    assert result.error is not None
    assert result.error.startswith("ReadTimeout")
