"""The agency inbox: who sent a record, and the secrets producers sign records with.

A record names its producer in `x-drehscheibe-organisation` and carries
`x-drehscheibe-signature: v1=<hex HMAC-SHA256(secret, value)>`. Kafka's ACLs let
only agency principals write the inbox, but a consumer cannot see the principal,
so the signature is what keeps one agency from posting as another (docs/inbox.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from uuid import UUID, uuid4

from services.profiles.adapters.inbox import ExternalRef, InboxRepository
from services.profiles.adapters.organisations import OrganisationRepository
from services.profiles.adapters.reference import Reference
from services.profiles.domain.access import Principal
from services.profiles.service_layer import inbox_bulletins, inbox_postings
from services.profiles.service_layer.inbox_apply import (
    Delivery,
    Outcome,
    apply_inbox_event,
    external_id,
)
from services.profiles.service_layer.inbox_signing import derive_secret, verify
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork
from shared.db import Connection
from shared.events import CloudEvent, EventPayload, InvalidEventError, OrganisationKind
from shared.events.catalog import TOPIC_EVENTS
from shared.topics import INBOX_BULLETINS, INBOX_PROFILES, INBOX_VACANCIES

K = OrganisationKind
ORGANISATION_HEADER = "x-drehscheibe-organisation"
SIGNATURE_HEADER = "x-drehscheibe-signature"
# Who may post to which inbox topic; the permission table then decides the rest.
PRODUCERS: Mapping[str, frozenset[OrganisationKind]] = {
    INBOX_VACANCIES: frozenset({K.AGENCY}),
    INBOX_PROFILES: frozenset({K.AGENCY}),
    INBOX_BULLETINS: frozenset({K.AGENCY, K.ASSOCIATION}),
}
MAY_SIGN = frozenset().union(*PRODUCERS.values())
HANDLERS = {**inbox_postings.HANDLERS, **inbox_bulletins.HANDLERS}


@dataclass(frozen=True, slots=True)
class InboxRecord:
    """A record as it came from an inbox topic (`topic` without the deployment prefix)."""

    topic: str
    key: bytes | None
    value: bytes | None
    headers: Mapping[str, bytes]

    def header(self, name: str) -> str | None:
        """A header's value as text (names compare case-insensitively)."""
        for key, value in self.headers.items():
            if key.lower() == name:
                return value.decode(errors="replace")
        return None


def check_size(record: InboxRecord, max_bytes: int) -> None:
    """Refuse an empty record or one larger than the inbox accepts, before anything parses it."""
    if record.value is None:
        raise InvalidEventError("empty: the record has no value")
    size = len(record.value)
    if size > max_bytes:
        raise InvalidEventError(f"oversized: {size} bytes, the inbox accepts {max_bytes}")


def _organisation_id(record: InboxRecord) -> UUID:
    found = record.header(ORGANISATION_HEADER)
    if found is None:
        raise InvalidEventError(f"unsigned: no {ORGANISATION_HEADER} header")
    try:
        return UUID(found.strip())
    except ValueError as exc:
        raise InvalidEventError(f"unknown organisation: {found[:80]!r} is not an id") from exc


async def identify_sender(
    conn: Connection, reference: Reference, signing_key: bytes, record: InboxRecord
) -> Principal:
    """The organisation that signed the record; InvalidEventError when none verifiably did."""
    org_id = _organisation_id(record)
    signature = record.header(SIGNATURE_HEADER)
    if signature is None:
        raise InvalidEventError(f"unsigned: no {SIGNATURE_HEADER} header")
    org = await OrganisationRepository(conn).get(org_id)
    if org is None:
        raise InvalidEventError(f"unknown organisation: {org_id}")
    if org.kind not in PRODUCERS.get(record.topic, frozenset()):
        raise InvalidEventError(f"forbidden: a {org.kind} may not post to {record.topic}")
    body = record.value or b""
    for secret_id in await InboxRepository(conn).active_secrets(org.id):
        if verify([derive_secret(signing_key, secret_id)], body, signature):
            return Principal(
                organisation_id=org.id,
                kind=org.kind,
                key_id=secret_id,
                region_ids=org.region_ids,
                districts=reference.regions.districts_of(org.region_ids),
            )
    raise InvalidEventError(f"bad signature: no active inbox secret of {org_id} made it")


async def issue_secret(
    uow: ProfilesUnitOfWork, signing_key: bytes, org_id: UUID
) -> tuple[UUID, str]:
    """A new inbox secret for an agency or association: its id and the secret (shown once)."""
    org = await uow.organisations.get(org_id)
    if org is None:
        raise LookupError(f"no organisation {org_id}")
    if org.kind not in MAY_SIGN:
        raise ValueError(f"a {org.kind} does not post to the inbox")
    secret_id = uuid4()
    await InboxRepository(uow.conn).add_secret(secret_id, org_id)
    return secret_id, derive_secret(signing_key, secret_id)


async def revoke_secret(uow: ProfilesUnitOfWork, secret_id: UUID) -> UUID:
    """Revoke an inbox secret at once; return its organisation."""
    owner = await InboxRepository(uow.conn).revoke_secret(secret_id)
    if owner is None:
        raise LookupError(f"no active inbox secret {secret_id}")
    return owner


async def receive(
    uow_factory: Callable[[], ProfilesUnitOfWork],
    reference: Reference,
    sender: Principal,
    record: InboxRecord,
    event: tuple[CloudEvent, EventPayload],
) -> Outcome:
    """Validate, store and republish one verified inbox event as the hub's canonical event."""
    envelope, payload = event
    if type(payload) not in TOPIC_EVENTS.get(record.topic, ()) or type(payload) not in HANDLERS:
        raise InvalidEventError(f"unexpected event type {envelope.type!r} on {record.topic}")
    kind, handler = HANDLERS[type(payload)]
    external = ExternalRef(sender.organisation_id, kind, external_id(record.key, envelope))
    async with uow_factory() as uow:
        delivery = Delivery(uow, reference, sender, envelope, external)
        outcome = await apply_inbox_event(delivery, payload, handler)
        if outcome is not Outcome.DUPLICATE:
            await uow.commit()
    return outcome
