"""DNS resolution of webhook hosts, checked against the address policy before connecting."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable

from services.notifications.domain.urlpolicy import (
    IPAddress,
    UnsafeUrlError,
    WebhookTarget,
    check_address,
)

Resolve = Callable[[str, int], Awaitable[list[IPAddress]]]


async def system_resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the system resolver gives for `host` (TCP)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeUrlError(f"cannot resolve {host}: {exc.strerror}") from exc
    found: list[IPAddress] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0])
        if address not in found:
            found.append(address)
    return found


async def safe_address(
    target: WebhookTarget, *, resolve: Resolve, allow_loopback: bool
) -> IPAddress:
    """The address to connect to; refuses the target if ANY resolved address is unsafe.

    Checking every address (not only the first) defeats a DNS answer that mixes a
    public address with an internal one in the hope that a retry picks the latter.
    """
    literal = target.literal
    addresses = [literal] if literal is not None else await resolve(target.host, target.port)
    if not addresses:
        raise UnsafeUrlError(f"{target.host} resolves to no address")
    for address in addresses:
        check_address(address, allow_loopback=allow_loopback)
    return addresses[0]
