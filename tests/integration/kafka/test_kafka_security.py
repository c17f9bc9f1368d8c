"""The authenticated listener: SCRAM principals with least-privilege ACLs on the real broker."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import (
    KafkaConnectionError,
    TopicAuthorizationFailedError,
)

from shared.topics import INBOX_VACANCIES, MATCHES, PROFILES, VACANCIES
from tests.stack import StackUrls

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[3]
AGENCY = "agency-demo"


def _credentials() -> dict[str, str]:
    stack_dir = Path(os.environ.get("STACK_DIR", REPO / ".local"))
    path = stack_dir / "kafka" / "credentials.json"
    assert path.exists(), f"the local stack provisions principals into {path}: run `make up`"
    passwords: dict[str, str] = json.loads(path.read_text())
    return passwords


@pytest.fixture
def sasl_bootstrap(stack: StackUrls) -> str:
    host, port = stack.kafka.split(",")[0].rsplit(":", 1)
    return f"{host}:{int(port) + 2}"


def _sasl(user: str, password: str) -> dict[str, str]:
    return {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": user,
        "sasl_plain_password": password,
    }


@pytest.fixture
async def agency_producer(sasl_bootstrap: str) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(
        bootstrap_servers=sasl_bootstrap,
        request_timeout_ms=10_000,
        **_sasl(AGENCY, _credentials()[AGENCY]),
    )
    await producer.start()
    yield producer
    await producer.stop()


async def test_agency_may_write_to_the_inbox(agency_producer: AIOKafkaProducer) -> None:
    metadata = await agency_producer.send_and_wait(
        INBOX_VACANCIES, b"{}", key=f"acl-test-{uuid.uuid4()}".encode()
    )
    assert metadata.topic == INBOX_VACANCIES


@pytest.mark.parametrize("topic", [VACANCIES, MATCHES])
async def test_agency_may_not_write_canonical_topics(
    agency_producer: AIOKafkaProducer, topic: str
) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await agency_producer.send_and_wait(topic, b"{}", key=b"forged")


async def _consume_one(bootstrap: str, topic: str, user: str, password: str) -> None:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"{user}-acl-test-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        **_sasl(user, password),
    )
    await consumer.start()
    try:
        await consumer.getmany(timeout_ms=3000)
    finally:
        await consumer.stop()


async def test_agency_may_read_matches(sasl_bootstrap: str) -> None:
    await _consume_one(sasl_bootstrap, MATCHES, AGENCY, _credentials()[AGENCY])


async def test_agency_may_not_read_profiles(sasl_bootstrap: str) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await _consume_one(sasl_bootstrap, PROFILES, AGENCY, _credentials()[AGENCY])


async def test_wrong_password_is_refused(sasl_bootstrap: str) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=sasl_bootstrap,
        request_timeout_ms=5_000,
        **_sasl(AGENCY, "not-the-password"),
    )
    with pytest.raises(KafkaConnectionError):
        await producer.start()
    await producer.stop()


async def test_each_service_has_its_own_principal(sasl_bootstrap: str) -> None:
    passwords = _credentials()
    assert {"svc-profiles", "svc-matching", "svc-notifications"} <= set(passwords)
    matcher = AIOKafkaProducer(
        bootstrap_servers=sasl_bootstrap,
        request_timeout_ms=10_000,
        **_sasl("svc-matching", passwords["svc-matching"]),
    )
    await matcher.start()
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            await matcher.send_and_wait(VACANCIES, b"{}", key=b"not-the-owner")
    finally:
        await matcher.stop()
