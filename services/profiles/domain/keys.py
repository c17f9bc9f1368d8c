"""API keys: random tokens shown once, stored only as a keyed digest.

A key carries 256 bits from the operating system's CSPRNG, so nobody can guess
it or brute-force it from its digest; a slow password hash (bcrypt, argon2) would
only add tens of milliseconds to every request. An HMAC-SHA256 with a server-side
pepper is enough and lets the digest be an indexed column: a stolen table alone
does not even allow checking a candidate key without the pepper.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

TOKEN_PREFIX = "dzk_"  # noqa: S105 -- a public marker, not a secret


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A new key: the token (to show once), its digest and a short prefix to recognise it."""

    token: str
    digest: bytes
    prefix: str


def digest(pepper: bytes, token: str) -> bytes:
    """The keyed digest under which a token is stored and looked up."""
    return hmac.new(pepper, token.encode(), hashlib.sha256).digest()


def new_key(pepper: bytes) -> IssuedKey:
    """Generate a key with 256 random bits."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return IssuedKey(token, digest(pepper, token), token[: len(TOKEN_PREFIX) + 6])


def looks_like_key(token: str) -> bool:
    """Cheap check before a database look-up."""
    return token.startswith(TOKEN_PREFIX) and 20 <= len(token) <= 200
