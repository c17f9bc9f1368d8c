"""The HTTP sender against a fake poster (a scripted receiver, no network)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from uuid import uuid4

from pydantic import SecretStr

from services.notifications.adapters.http_client import PostFailedError
from services.notifications.adapters.webhook import HttpWebhookSender
from services.notifications.domain.delivery import DueDelivery
from services.notifications.domain.signing import verify
from services.notifications.domain.urlpolicy import IPAddress

NOW = 1_760_000_000
DELIVERY = DueDelivery(uuid4(), "http://hub.example/hook", "t.v1", b'{"x":1}', attempts=0)


@dataclass(frozen=True, slots=True)
class Posted:
    """One request as the fake receiver saw it."""

    url: str
    body: bytes
    headers: dict[str, str]
    server_hostname: str | None


@dataclass
class FakePoster:
    """Answers with `status`, or fails with `failure`; records every request."""

    status: int = 204
    failure: str | None = None
    seen: list[Posted] = field(default_factory=list)

    async def post(
        self, url: str, *, body: bytes, headers: Mapping[str, str], server_hostname: str | None
    ) -> int:
        self.seen.append(Posted(url, body, dict(headers), server_hostname))
        if self.failure is not None:
            raise PostFailedError(self.failure)
        return self.status


def _sender(poster: FakePoster, *answers: str) -> HttpWebhookSender:
    async def resolve(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address(a) for a in answers]

    return HttpWebhookSender(poster, SecretStr("k"), clock=lambda: NOW + 0.7, resolve=resolve)


async def test_a_2xx_answer_is_success_and_the_request_is_signed() -> None:
    poster = FakePoster(204)

    result = await _sender(poster).send(DELIVERY)

    assert result.ok
    [request] = poster.seen
    assert (request.url, request.body) == (DELIVERY.target_url, DELIVERY.body)
    assert request.headers["X-Drehscheibe-Timestamp"] == str(NOW)
    signature = request.headers["X-Drehscheibe-Signature"]
    assert verify(b"k", NOW, request.body, signature, now=NOW)


async def test_an_error_status_is_a_failed_attempt() -> None:
    result = await _sender(FakePoster(503)).send(DELIVERY)
    assert (result.error, result.healthy) == ("HTTP 503", False)


async def test_a_redirect_is_a_failed_attempt() -> None:
    result = await _sender(FakePoster(307)).send(DELIVERY)
    assert result.error == "HTTP 307"


async def test_no_answer_is_a_failed_attempt_of_an_unhealthy_receiver() -> None:
    refused = FakePoster(failure="ClientConnectorError: connection refused")
    result = await _sender(refused).send(DELIVERY)
    assert (result.error, result.healthy) == ("ClientConnectorError: connection refused", False)


SUBSCRIBED = replace(
    DELIVERY, target_url="https://hub.example/hook", subscription_id=uuid4(), secret="sub"
)


async def test_a_subscription_delivery_connects_to_the_checked_address() -> None:
    poster = FakePoster(200)

    result = await _sender(poster, "93.184.215.14").send(SUBSCRIBED)

    assert result.ok
    [request] = poster.seen
    assert request.url == "https://93.184.215.14:443/hook"
    assert request.headers["Host"] == "hub.example"
    assert request.server_hostname == "hub.example"
    signature = request.headers["X-Drehscheibe-Signature"]
    assert verify(b"sub", NOW, request.body, signature, now=NOW)


async def test_a_plain_http_target_keeps_its_port_in_the_host_header() -> None:
    poster = FakePoster(200)
    local = replace(SUBSCRIBED, target_url="http://localhost:8080/h")
    sender = HttpWebhookSender(
        poster, SecretStr("k"), resolve=_loopback, allow_insecure_localhost=True
    )

    assert (await sender.send(local)).ok
    [request] = poster.seen
    assert (request.url, request.headers["Host"]) == ("http://127.0.0.1:8080/h", "localhost:8080")
    assert request.server_hostname is None


async def _loopback(host: str, port: int) -> list[IPAddress]:
    return [ipaddress.ip_address("127.0.0.1")]


async def test_a_name_that_now_resolves_inward_is_not_called() -> None:
    poster = FakePoster(200)
    result = await _sender(poster, "169.254.169.254").send(SUBSCRIBED)
    assert result.error == "unsafe target: metadata address 169.254.169.254 refused"
    assert poster.seen == []


async def test_410_is_gone_and_4xx_leaves_the_breaker_closed() -> None:
    gone = await _sender(FakePoster(410)).send(DELIVERY)
    refused = await _sender(FakePoster(400)).send(DELIVERY)
    busy = await _sender(FakePoster(429)).send(DELIVERY)
    assert gone.gone
    assert not gone.ok
    assert (refused.error, refused.healthy) == ("HTTP 400", True)
    assert (busy.error, busy.healthy) == ("HTTP 429", False)
