"""Inbox signing secrets: derived from a server-side key, never stored.

The service must compute the same HMAC as the producer, so a one-way digest (as
for API keys) cannot work. Instead of storing secrets encrypted, each secret is
derived: HMAC-SHA256(PROFILES_INBOX_SIGNING_KEY, label + secret id). The database
holds only the secret's id, owner and revocation time; without the signing key a
stolen table signs nothing, and revoking a secret is one UPDATE.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from uuid import UUID

SECRET_PREFIX = "dzi_"  # noqa: S105 -- a public marker, not a secret
SIGNATURE_SCHEME = "v1="
_LABEL = b"drehscheibe-inbox-secret-v1:"


def derive_secret(signing_key: bytes, secret_id: UUID) -> str:
    """The secret with this id, as it is handed to the producer."""
    raw = hmac.new(signing_key, _LABEL + secret_id.bytes, hashlib.sha256).digest()
    return SECRET_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def sign(secret: str, body: bytes) -> str:
    """The `x-drehscheibe-signature` header value of a record body."""
    return SIGNATURE_SCHEME + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secrets: Iterable[str], body: bytes, header: str) -> bool:
    """Whether one of the (comma-separated) signatures was made with one of the secrets."""
    offered = [s.strip() for s in header.split(",") if s.strip().startswith(SIGNATURE_SCHEME)]
    return any(
        hmac.compare_digest(sign(secret, body), candidate)
        for secret in secrets
        for candidate in offered
    )
