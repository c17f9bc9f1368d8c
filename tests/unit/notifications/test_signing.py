"""Webhook signatures: round trip, tampering, tolerance."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from services.notifications.domain.signing import sign, verify

SECRET = b"s3cret"
BODY = b'{"delivery_id":"x","data":{"score":0.8}}'
NOW = 1_750_000_000


def test_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET, f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, NOW, BODY) == f"v1={expected}"


def test_round_trip_verifies() -> None:
    assert verify(SECRET, NOW, BODY, sign(SECRET, NOW, BODY), now=NOW)


@pytest.mark.parametrize(
    ("secret", "timestamp", "body"),
    [
        (b"other secret", NOW, BODY),
        (SECRET, NOW + 1, BODY),
        (SECRET, NOW, BODY.replace(b"0.8", b"0.9")),
        (SECRET, NOW, BODY + b" "),
    ],
    ids=["secret", "timestamp", "body", "trailing-byte"],
)
def test_tampering_is_rejected(secret: bytes, timestamp: int, body: bytes) -> None:
    signature = sign(SECRET, NOW, BODY)
    assert not verify(secret, timestamp, body, signature, now=NOW)


@pytest.mark.parametrize("signature", ["", "v1=", "v0=abc", "garbage", "v2=" + "0" * 64])
def test_malformed_signatures_are_rejected(signature: str) -> None:
    assert not verify(SECRET, NOW, BODY, signature, now=NOW)


def test_the_scheme_prefix_is_required() -> None:
    bare = sign(SECRET, NOW, BODY).removeprefix("v1=")
    assert not verify(SECRET, NOW, BODY, bare, now=NOW)


def test_one_valid_signature_among_several_is_enough() -> None:
    header = f"{sign(b'old secret', NOW, BODY)}, {sign(SECRET, NOW, BODY)}"
    assert verify(SECRET, NOW, BODY, header, now=NOW)


@pytest.mark.parametrize("skew", [-300, 0, 300])
def test_timestamps_within_tolerance_are_accepted(skew: int) -> None:
    signature = sign(SECRET, NOW, BODY)
    assert verify(SECRET, NOW, BODY, signature, now=NOW + skew, tolerance_s=300)


@pytest.mark.parametrize("skew", [-301, 301, 86_400])
def test_old_and_future_timestamps_are_rejected(skew: int) -> None:
    signature = sign(SECRET, NOW, BODY)
    assert not verify(SECRET, NOW, BODY, signature, now=NOW + skew, tolerance_s=300)
