"""The agency inbox against the real stack: signed records become canonical events."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer, ConsumerRecord

from services.profiles.adapters.reference import Reference
from services.profiles.config import ProfilesSettings
from services.profiles.entrypoints.cli import run_admin
from services.profiles.service_layer import inbox
from services.profiles.service_layer.inbox_signing import sign
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.events import (
    BulletinPublishedV1,
    ClosingReason,
    CloudEvent,
    EventPayload,
    VacancyClosedV1,
    VacancyOpenedV1,
)
from shared.events import OrganisationKind as Kind
from shared.events import VacancyUpdatedV1 as Updated
from shared.topics import BULLETINS, DEADLETTER, INBOX_BULLETINS, INBOX_VACANCIES, VACANCIES
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant
from tests.kafka_tools import read_all
from tests.waiting import eventually

pytestmark = pytest.mark.integration
ORG, SIG = inbox.ORGANISATION_HEADER, inbox.SIGNATURE_HEADER


@dataclass(frozen=True)
class Agency:
    """An organisation that signs its inbox records."""

    tenant: Tenant
    secret: str

    def headers(self, body: bytes, secret: str | None = None) -> list[tuple[str, bytes]]:
        """Organisation and signature headers of a record."""
        signature = sign(secret or self.secret, body).encode()
        return [(ORG, str(self.tenant.org_id).encode()), (SIG, signature)]


async def issue(settings: ProfilesSettings, tenant: Tenant) -> Agency:
    """An inbox secret for `tenant`, through the admin service layer."""
    key = settings.inbox_signing_key.get_secret_value().encode()

    async def action(uow: ProfilesUnitOfWork, _: Reference, __: bytes) -> str:
        return (await inbox.issue_secret(uow, key, tenant.org_id))[1]

    return Agency(tenant, await run_admin(settings, action))


def event(payload: EventPayload, **attributes: Any) -> bytes:
    """A CloudEvent (structured mode) as an agency writes it."""
    envelope = CloudEvent.model_validate(
        {"source": "urn:agency:test", "type": payload.event_type,
         "subject": payload.subject(), "data": payload.model_dump(mode="json"), **attributes}
    )  # fmt: skip
    return envelope.to_bytes()


def opened(external: uuid.UUID, version: int = 1, **changes: Any) -> VacancyOpenedV1:
    """An agency's vacancy under its own id."""
    return VacancyOpenedV1.model_validate(
        {**bodies.vacancy(**changes), "vacancy_id": external, "version": version}
    )


@pytest.fixture
async def producer(settings: ProfilesSettings) -> AsyncIterator[AIOKafkaProducer]:
    """A plain Kafka producer, as an agency's client."""
    client = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers)
    await client.start()
    yield client
    await client.stop()


async def post(
    producer: AIOKafkaProducer,
    settings: ProfilesSettings,
    key: object,
    value: bytes,
    headers: list[tuple[str, bytes]],
    topic: str = INBOX_VACANCIES,
) -> None:
    """Write one record to an inbox topic."""
    await producer.send_and_wait(
        settings.kafka.topic(topic), value, key=str(key).encode(), headers=headers
    )


async def records(
    settings: ProfilesSettings, topic: str, n: int, what: str
) -> list[ConsumerRecord]:
    """The records on a topic once there are at least `n`."""

    async def enough() -> list[ConsumerRecord]:
        found = await read_all(settings.kafka_bootstrap_servers, settings.kafka.topic(topic))
        return found if len(found) >= n else []

    return await eventually(enough, timeout=60, what=what)


async def test_vacancy_opened_updated_closed_by_external_id_once_each(
    api: httpx.AsyncClient,
    settings: ProfilesSettings,
    tenants: dict[str, Tenant],
    producer: AIOKafkaProducer,
) -> None:
    agency, external = await issue(settings, tenants["agency"]), uuid.uuid4()
    first = event(opened(external))
    await post(producer, settings, external, first, agency.headers(first))
    (record,) = await records(settings, VACANCIES, 1, "the canonical VacancyOpened")
    canonical = json.loads(record.value)
    hub_id = canonical["subject"]
    assert canonical["type"] == VacancyOpenedV1.event_type
    assert hub_id != str(external)
    assert record.key == hub_id.encode()
    assert canonical["source"] == "urn:drehscheibe:profiles"
    assert canonical["data"]["organisation_id"] == str(agency.tenant.org_id)
    assert canonical["data"]["version"] == 1

    update = Updated.model_validate({**opened(external, 2).model_dump(), "radius_km": 75})
    closing = VacancyClosedV1(vacancy_id=external, version=3, reason=ClosingReason.FILLED)
    for payload in (update, closing):
        value = event(payload)
        await post(producer, settings, external, value, agency.headers(value))
    # Redelivered and stale records change nothing.
    await post(producer, settings, external, first, agency.headers(first))
    stale = event(opened(external, 1))
    await post(producer, settings, external, stale, agency.headers(stale))
    events = [json.loads(r.value) for r in await records(settings, VACANCIES, 3, "3 events")]
    assert [(e["subject"], e["type"], e["data"]["version"]) for e in events] == [
        (hub_id, VacancyOpenedV1.event_type, 1),
        (hub_id, Updated.event_type, 2),
        (hub_id, VacancyClosedV1.event_type, 3),
    ]
    assert events[1]["data"]["radius_km"] == 75
    got = await api.get(f"/v1/vacancies/{hub_id}", headers=agency.tenant.auth)
    assert (got.status_code, got.json()["status"]) == (200, "filled")
    # An unsigned record on the same partition: once it is dead-lettered, the repeats before it
    # have been handled.
    await post(producer, settings, external, first, [])
    await records(settings, DEADLETTER, 1, "the marker behind the repeats")
    assert (
        len(await read_all(settings.kafka_bootstrap_servers, settings.kafka.topic(VACANCIES))) == 3
    )


async def test_invalid_records_are_dead_lettered_with_reasons_and_the_consumer_carries_on(
    api: httpx.AsyncClient,
    settings: ProfilesSettings,
    tenants: dict[str, Tenant],
    producer: AIOKafkaProducer,
) -> None:
    agency, other = (
        await issue(settings, tenants["agency"]),
        await issue(settings, tenants["other_agency"]),
    )
    firm = Agency(tenants["firm"], other.secret)
    good = event(opened(uuid.uuid4()))
    not_a_uuid = uuid.uuid4()
    wrong_schema = json.loads(event(opened(not_a_uuid)))
    wrong_schema["data"]["radius_km"] = -5
    unknown_type = json.loads(event(opened(uuid.uuid4())))
    unknown_type["type"] = "de.drehscheibe.vacancy.renamed.v1"
    oversized = event(opened(uuid.uuid4(), title="x" * 100)).replace(
        b'"title"', b'"padding":"' + b"y" * (300 * 1024) + b'","title"'
    )
    cases: dict[str, tuple[bytes, list[tuple[str, bytes]], str]] = {}

    def case(
        name: str, value: bytes, headers: list[tuple[str, bytes]] | None = None, key: str = ""
    ) -> None:
        cases[key or name] = (value, agency.headers(value) if headers is None else headers, name)

    case("not-json", b"{not json")
    case("wrong-schema", json.dumps(wrong_schema).encode())
    case("unknown-type", json.dumps(unknown_type).encode())
    case("key-mismatch", good)
    case("bad-signature", good, agency.headers(good, secret="dzi_guessed"))
    as_other = [(ORG, str(other.tenant.org_id).encode()), agency.headers(good)[1]]
    case("as-another-agency", good, as_other)
    case("unknown-org", good, [(ORG, str(uuid.uuid4()).encode()), agency.headers(good)[1]])
    case("unsigned", good, [])
    case("firm", good, firm.headers(good))
    case("oversized", oversized)
    unknown = uuid.uuid4()
    competences = [{"competence_id": "dz:does-not-exist", "min_level": 2}]
    case("unknown-competence", event(opened(unknown, competences=competences)), key=str(unknown))
    for key, (value, headers, _) in cases.items():
        await post(producer, settings, key, value, headers)
    valid = uuid.uuid4()
    after = event(opened(valid))
    await post(producer, settings, valid, after, agency.headers(after))

    (published,) = await records(settings, VACANCIES, 1, "the valid record after the bad ones")
    assert json.loads(published.value)["data"]["organisation_id"] == str(agency.tenant.org_id)
    dead = await records(settings, DEADLETTER, len(cases), "every bad record dead-lettered")
    reasons = {cases[r.key.decode()][2]: dict(r.headers)["dlq-reason"].decode() for r in dead}
    expected = {
        "not-json": "not JSON", "wrong-schema": "radius_km",
        "unknown-type": "unexpected event type", "key-mismatch": "key mismatch",
        "bad-signature": "bad signature", "as-another-agency": "bad signature",
        "unknown-org": "unknown organisation", "unsigned": "unsigned", "firm": "forbidden",
        "oversized": "oversized", "unknown-competence": "unknown competence",
    }  # fmt: skip
    assert set(reasons) == set(expected)
    for name, fragment in expected.items():
        assert fragment in reasons[name], (name, reasons[name])
    original = {r.key.decode(): r.value for r in dead}
    assert original["not-json"] == b"{not json"
    assert dict(dead[0].headers)["dlq-consumer"] == b"profiles.inbox"


async def test_an_association_publishes_a_bulletin_through_the_inbox(
    api: httpx.AsyncClient,
    settings: ProfilesSettings,
    tenants: dict[str, Tenant],
    producer: AIOKafkaProducer,
) -> None:
    association, external = await issue(settings, tenants["association"]), uuid.uuid4()
    bulletin = BulletinPublishedV1(
        bulletin_id=external, version=1, organisation_id=association.tenant.org_id,
        organisation_kind=Kind.ASSOCIATION, title="Förderprogramm Weiterbildung",
        body="Neue Mittel für Qualifizierung.", target_regions=[bodies.REGION],
    )  # fmt: skip
    value = event(bulletin)
    await post(producer, settings, external, value, association.headers(value), INBOX_BULLETINS)
    (record,) = await records(settings, BULLETINS, 1, "the canonical BulletinPublished")
    data = json.loads(record.value)["data"]
    assert data["bulletin_id"] != str(external)
    assert (data["organisation_id"], data["title"]) == (
        str(association.tenant.org_id),
        "Förderprogramm Weiterbildung",
    )
    assert data["target_district_codes"]  # resolved by the hub from the region
