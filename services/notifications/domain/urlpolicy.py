"""Which webhook URLs and addresses the service may call (SSRF protection).

A subscriber chooses its webhook URL, so a URL must never make the service reach
into the hub's own network: https only, plain http only to loopback in local
development, and no private, link-local, shared (CGNAT), multicast, unspecified
or cloud-metadata address. URLs are checked when a subscription arrives and the
resolved addresses again before every attempt (DNS may change in between).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Metadata services, listed although the generic rules below already cover them,
# so that a change of those rules cannot silently open them.
_METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


class UnsafeUrlError(ValueError):
    """The URL or an address it resolves to must not be called."""


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    """A parsed, policy-checked webhook URL."""

    url: str
    scheme: str
    host: str
    port: int
    path: str

    @property
    def literal(self) -> IPAddress | None:
        """The host as an address when the URL names one directly."""
        try:
            return ipaddress.ip_address(self.host)
        except ValueError:
            return None


def _embedded_v4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def check_address(address: IPAddress, *, allow_loopback: bool) -> None:
    """Raise UnsafeUrlError unless `address` is a public unicast address (or allowed loopback)."""
    inner = _embedded_v4(address)
    if inner is not None:
        check_address(inner, allow_loopback=allow_loopback)
        return
    if address.is_loopback:
        if allow_loopback:
            return
        raise UnsafeUrlError(f"loopback address {address} refused")
    if address in _METADATA:
        raise UnsafeUrlError(f"metadata address {address} refused")
    if address.is_multicast or address.is_unspecified or not address.is_global:
        raise UnsafeUrlError(f"non-public address {address} refused")


def parse_target(url: str, *, allow_insecure_localhost: bool) -> WebhookTarget:
    """Check a webhook URL's form and any literal address; resolution is checked later."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrlError(f"malformed URL: {exc}") from exc
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in ("https", "http"):
        raise UnsafeUrlError(f"scheme {scheme or '(none)'} refused; use https")
    if not host:
        raise UnsafeUrlError("URL without a host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrlError("credentials in the URL refused")
    target = WebhookTarget(
        url=url,
        scheme=scheme,
        host=host,
        port=port or (443 if scheme == "https" else 80),
        path=(parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
    )
    if scheme == "http" and not (allow_insecure_localhost and _names_loopback(target)):
        raise UnsafeUrlError(
            "plain http refused; only https (http only to loopback in development)"
        )
    if target.literal is not None:
        check_address(target.literal, allow_loopback=allow_insecure_localhost)
    return target


def _names_loopback(target: WebhookTarget) -> bool:
    literal = target.literal
    return literal.is_loopback if literal is not None else target.host in _LOOPBACK_NAMES


def endpoint_of(url: str) -> str:
    """The key deliveries to one receiver share (scheme, host and port)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    default = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port or default}"
