"""Which webhook URLs a subscription may name (checked again after DNS at delivery).

A subscriber chooses the URL the hub will call, so it must not point into the
hub's own network: https only (plain http only to loopback, and only where a
setting allows it for local development), no credentials in the URL, and no
address literal that is private, link-local, shared, multicast, unspecified or a
cloud metadata address. Names are resolved by the notification service, which
checks the addresses before every attempt.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

_METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeWebhookError(ValueError):
    """The webhook URL must not be called."""


def _literal(host: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _check_literal(address: IPAddress, *, allow_loopback: bool) -> None:
    if address.is_loopback:
        if not allow_loopback:
            raise UnsafeWebhookError(f"loopback address {address} refused")
        return
    if address in _METADATA:
        raise UnsafeWebhookError(f"metadata address {address} refused")
    if address.is_multicast or address.is_unspecified or not address.is_global:
        raise UnsafeWebhookError(f"non-public address {address} refused")


def check_webhook_url(url: str, *, allow_insecure_loopback: bool) -> None:
    """UnsafeWebhookError unless `url` is an https URL to a public host (or allowed loopback)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- parsing the port validates it
    except ValueError as exc:
        raise UnsafeWebhookError(f"malformed URL: {exc}") from exc
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in ("https", "http"):
        raise UnsafeWebhookError(f"scheme {scheme or '(none)'} refused; use https")
    if not host:
        raise UnsafeWebhookError("URL without a host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeWebhookError("credentials in the URL refused")
    literal = _literal(host)
    loopback = literal.is_loopback if literal is not None else host in _LOOPBACK_NAMES
    if scheme == "http" and not (allow_insecure_loopback and loopback):
        raise UnsafeWebhookError("plain http refused; use https")
    if literal is not None:
        _check_literal(literal, allow_loopback=allow_insecure_loopback)
    elif loopback and not allow_insecure_loopback:
        raise UnsafeWebhookError(f"loopback host {host} refused")
