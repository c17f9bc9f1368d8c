"""HMAC-SHA256 webhook signatures over `"{timestamp}." + body`, versioned `v1=`.

The timestamp is part of the signed text so that a captured request cannot be
replayed later with a fresh timestamp header; receivers reject stale timestamps.
"""

from __future__ import annotations

import hashlib
import hmac

SCHEME = "v1"
DEFAULT_TOLERANCE_S = 300


def _digest(secret: bytes, timestamp: int, body: bytes) -> str:
    return hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """The `X-Drehscheibe-Signature` header value for a body sent at `timestamp`."""
    return f"{SCHEME}={_digest(secret, timestamp, body)}"


def verify(
    secret: bytes,
    timestamp: int,
    body: bytes,
    signature: str,
    *,
    now: int,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
) -> bool:
    """True when `signature` is valid for body and timestamp, and the timestamp is recent."""
    if abs(now - timestamp) > tolerance_s:
        return False
    expected = _digest(secret, timestamp, body).encode()
    # Several comma-separated signatures are accepted so that a sender can sign with
    # an old and a new secret while a receiver rotates keys.
    candidates = [part.strip().partition("=") for part in signature.split(",")]
    found = False
    for scheme, _, value in candidates:
        # Compare every candidate, in constant time, without short-circuiting.
        found |= scheme == SCHEME and hmac.compare_digest(expected, value.encode())
    return found
