"""Job-seeker profiles through the agency inbox: consent, updates, erasure, tenant rules."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from services.profiles.config import ProfilesSettings
from shared.events import ProfileErasedV1, ProfilePublishedV1, ProfileUpdatedV1
from shared.topics import DEADLETTER, INBOX_PROFILES, PROFILES
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant
from tests.integration.profiles.test_inbox import event, issue, post, producer, records

pytestmark = pytest.mark.integration
__all__ = ["producer"]
CONSENT = {"consentscope": "matching_and_agencies", "consentgivenat": "2026-01-10T09:30:00+01:00"}


def published(external: uuid.UUID, version: int = 1, **changes: Any) -> ProfilePublishedV1:
    """An agency's job-seeker profile under its own id."""
    body = {k: v for k, v in bodies.profile().items() if k != "consent"}
    return ProfilePublishedV1.model_validate(
        {**body, **changes, "profile_id": external, "version": version}
    )


async def test_profile_published_updated_and_erased_by_external_id(
    api: httpx.AsyncClient,
    settings: ProfilesSettings,
    tenants: dict[str, Tenant],
    producer: AIOKafkaProducer,
) -> None:
    agency, other = (
        await issue(settings, tenants["agency"]),
        await issue(settings, tenants["other_agency"]),
    )
    external, unconsented = uuid.uuid4(), uuid.uuid4()
    first = event(published(external), **CONSENT)
    no_consent = event(published(unconsented))
    for key, value in ((unconsented, no_consent), (external, first)):
        await post(producer, settings, key, value, agency.headers(value), INBOX_PROFILES)
    (record,) = await records(settings, PROFILES, 1, "the canonical ProfilePublished")
    hub_id = json.loads(record.value)["subject"]
    shown = (await api.get(f"/v1/profiles/{hub_id}", headers=agency.tenant.auth)).json()
    assert shown["consent"]["scope"] == "matching_and_agencies"
    assert shown["organisation_id"] == str(agency.tenant.org_id)

    # Another agency cannot reach the first one's external id: it is not its own.
    update = ProfileUpdatedV1.model_validate(
        {**published(external, 2).model_dump(), "radius_km": 5}
    )
    hijack = event(update)
    await post(producer, settings, external, hijack, other.headers(hijack), INBOX_PROFILES)
    for payload in (update, ProfileErasedV1(profile_id=external, version=3)):
        value = event(payload)
        await post(producer, settings, external, value, agency.headers(value), INBOX_PROFILES)

    out = await records(settings, PROFILES, 4, "updated, erased and the tombstone")
    assert [(r.key.decode(), r.value and json.loads(r.value)["type"]) for r in out] == [
        (hub_id, ProfilePublishedV1.event_type),
        (hub_id, ProfileUpdatedV1.event_type),
        (hub_id, ProfileErasedV1.event_type),
        (hub_id, None),
    ]
    assert json.loads(out[1].value)["data"]["radius_km"] == 5
    gone = await api.get(f"/v1/profiles/{hub_id}", headers=agency.tenant.auth)
    assert gone.status_code == 404
    dead = await records(settings, DEADLETTER, 2, "the unconsented and the hijacking record")
    reasons = sorted(dict(r.headers)["dlq-reason"].decode().split(":")[0] for r in dead)
    assert reasons == ["no consent", "unknown profile"]
