"""Bad input on every channel agencies use: the inbox topics and the HTTP API.

Each case sends its bad input, then valid input; the bad input ends in the
dead-letter topic with a clear reason (or in a problem-details response, or is
absorbed as a repeat), the valid input is still applied, and `/metrics` counts it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import TopicAuthorizationFailedError
from prometheus_client.parser import text_string_to_metric_families

from services.profiles.entrypoints.http.app import create_app
from shared.events import ClosingReason, VacancyClosedV1, VacancyUpdatedV1
from shared.events import OrganisationKind as Kind
from shared.kafka_admin import delete_topics, ensure_topics
from shared.metrics import reason_kind
from shared.topics import DEADLETTER, INBOX_VACANCIES, VACANCIES
from tests.apps import running
from tests.databases import fresh_database
from tests.integration.kafka.test_kafka_security import _credentials, _sasl
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant, make_tenant, settings_for
from tests.integration.profiles.test_inbox import Agency, event, issue, opened
from tests.kafka_tools import read_all
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.integration
CONSUMER = "profiles.inbox"


@dataclass
class World:
    """The API, its topics and the organisations of the campaign."""

    api: httpx.AsyncClient
    prefix: str
    kafka: str
    producer: AIOKafkaProducer
    agency: Agency
    firm: Agency
    hub: Tenant

    def topic(self, name: str) -> str:
        """The topic under this module's prefix."""
        return f"{self.prefix}{name}"


@pytest.fixture(scope="module")
async def database_url(stack: StackUrls) -> AsyncIterator[str]:
    """A database of the campaign's own: another module's unsent outbox rows (for topics
    already deleted) cannot hold up this module's relay."""
    async with fresh_database(stack.database_url, "campaign") as url:
        yield url


@pytest.fixture(scope="module")
async def world(stack: StackUrls, database_url: str) -> AsyncIterator[World]:
    prefix = f"c{uuid.uuid4().hex[:10]}."
    await ensure_topics(stack.kafka, prefix)
    settings = settings_for(stack, database_url, prefix)
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka, acks="all")
    await producer.start()
    try:
        async with running(create_app(settings)) as api:  # migrates the fresh database
            tenants = [
                await make_tenant(database_url, f"campaign-{kind}", kind, [bodies.REGION])
                for kind in (Kind.AGENCY, Kind.FIRM, Kind.HUB)
            ]
            signer = await issue(settings, tenants[0])
            firm = Agency(tenants[1], signer.secret)
            yield World(api, prefix, stack.kafka, producer, signer, firm, tenants[2])
    finally:
        await producer.stop()
        await delete_topics(stack.kafka, prefix)


async def sample(api: httpx.AsyncClient, name: str, **labels: str) -> float:
    """The sum of the series of `name` on /metrics that carry `labels` (0 when none)."""
    text = (await api.get("/metrics")).text
    return sum(
        float(s.value)
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    )


# ---- the inbox ------------------------------------------------------------------------
Record = tuple[bytes | None, bytes, list[tuple[str, bytes]]]  # key, value, headers


def signed(w: World, value: bytes, key: object = None, by: Agency | None = None) -> Record:
    """A record keyed by `key` (the value's subject unless given), signed by `by`."""
    subject = json.loads(value)["subject"] if key is None else key
    return str(subject).encode(), value, (by or w.agency).headers(value)


def _mutated(**change: Any) -> Callable[[World], list[Record]]:
    def build(w: World) -> list[Record]:
        body = json.loads(event(opened(uuid.uuid4())))
        for path, value in change.items():
            *parents, leaf = path.split("__")
            target = body
            for part in parents:
                target = target[part]
            target[leaf] = value
        return [signed(w, json.dumps(body).encode())]

    return build


def _oversized(w: World) -> list[Record]:
    value = event(opened(uuid.uuid4())).replace(
        b'"title"', b'"padding":"' + b"y" * (300 * 1024) + b'","title"'
    )
    return [signed(w, value)]


def _no_key(w: World) -> list[Record]:
    value = event(opened(uuid.uuid4()))
    return [(None, value, w.agency.headers(value))]


def _one(build: Callable[[World, bytes], Record]) -> Callable[[World], list[Record]]:
    return lambda w: [build(w, event(opened(uuid.uuid4())))]


DEAD_LETTERED: dict[str, tuple[Callable[[World], list[Record]], str]] = {
    "not-json": (lambda w: [(b"k-" + uuid.uuid4().hex.encode(), b"\xff{not json",
                             w.agency.headers(b"\xff{not json"))], "not JSON"),
    "wrong-schema": (_mutated(data__radius_km=-5), "radius_km"),
    "missing-field": (_mutated(data__postcode=None), "postcode"),
    "not-a-cloudevent": (_mutated(specversion="0.3"), "not a CloudEvent"),
    "unknown-type": (_mutated(type="de.drehscheibe.vacancy.renamed.v1"), "unexpected event type"),
    "oversized": (_oversized, "oversized"),
    "missing-key": (_no_key, "no key"),
    "mismatched-key": (_one(lambda w, v: signed(w, v, key=uuid.uuid4())), "key mismatch"),
    "unsigned": (_one(lambda w, v: (json.loads(v)["subject"].encode(), v, [])), "unsigned"),
    "forged-signature": (
        _one(lambda w, v: signed(w, v, by=Agency(w.agency.tenant, "dzi_guessed"))),
        "bad signature",
    ),
    "unauthorised-organisation": (_one(lambda w, v: signed(w, v, by=w.firm)), "forbidden"),
}  # fmt: skip


async def send(w: World, records: list[Record]) -> None:
    for key, value, headers in records:
        await w.producer.send_and_wait(w.topic(INBOX_VACANCIES), value, key=key, headers=headers)


async def canonical(w: World) -> list[dict[str, Any]]:
    """Canonical vacancy events on the module's topic."""
    return [json.loads(r.value) for r in await read_all(w.kafka, w.topic(VACANCIES)) if r.value]


async def valid_marker(w: World) -> None:
    """A valid record after the bad ones: it must come through as a canonical event."""
    value = event(opened(uuid.uuid4(), title=f"marker-{uuid.uuid4().hex[:8]}"))
    await send(w, [signed(w, value)])
    title = json.loads(value)["data"]["title"]

    async def through() -> bool:
        return any(e["data"].get("title") == title for e in await canonical(w))

    await eventually(through, timeout=60, what="the valid record after the bad one")


@pytest.mark.parametrize("case", sorted(DEAD_LETTERED))
async def test_inbox_bad_input_is_dead_lettered_and_counted(world: World, case: str) -> None:
    w, (build, fragment) = world, DEAD_LETTERED[case]
    topic = w.topic(INBOX_VACANCIES)
    records = build(w)
    before_dlq = await sample(w.api, "drehscheibe_events_total", consumer=CONSUMER,
                              topic=topic, outcome="dead_lettered")  # fmt: skip
    await send(w, records)

    async def dead() -> list[Any]:
        found = await read_all(w.kafka, w.topic(DEADLETTER))
        return [r for r in found if r.value == records[0][1]]

    (letter,) = await eventually(dead, timeout=60, what=f"{case} dead-lettered")
    headers = {k: v.decode() for k, v in letter.headers}
    assert fragment in headers["dlq-reason"], headers["dlq-reason"]
    assert (headers["dlq-consumer"], headers["dlq-source-topic"]) == (CONSUMER, topic)
    await valid_marker(w)  # the consumer carries on; nothing valid is lost
    kind = reason_kind(headers["dlq-reason"])
    reason = {"consumer": CONSUMER, "topic": topic, "reason": kind}
    assert await sample(w.api, "drehscheibe_dead_letters_total", **reason) >= 1
    after_dlq = await sample(w.api, "drehscheibe_events_total", consumer=CONSUMER,
                             topic=topic, outcome="dead_lettered")  # fmt: skip
    assert after_dlq - before_dlq == 1


def _updated(opening: Any, version: int, radius: int) -> VacancyUpdatedV1:
    return VacancyUpdatedV1.model_validate(
        {**opening.model_dump(), "version": version, "radius_km": radius}
    )


def _duplicate(o: Any) -> list[Any]:
    # the same event (same id) delivered twice: applied once
    return [o, "again", _updated(o, 2, 55)]


def _out_of_order(o: Any) -> list[Any]:
    # versions out of order: the older update arrives after the newer one and is ignored
    closing = VacancyClosedV1(vacancy_id=o.vacancy_id, version=4, reason=ClosingReason.FILLED)
    return [o, _updated(o, 3, 55), _updated(o, 2, 10), closing]


# case: (records, canonical events they must produce)
ABSORBED = {"duplicate-event-id": (_duplicate, 2), "out-of-order-version": (_out_of_order, 3)}


@pytest.mark.parametrize("case", sorted(ABSORBED))
async def test_inbox_repeats_and_stale_versions_change_nothing(world: World, case: str) -> None:
    w, (build, expected) = world, ABSORBED[case]
    topic, title = w.topic(INBOX_VACANCIES), f"{case}-{uuid.uuid4().hex[:8]}"
    before = await sample(w.api, "drehscheibe_events_total", consumer=CONSUMER,
                          topic=topic, outcome="applied")  # fmt: skip
    steps, last = build(opened(uuid.uuid4(), title=title)), b""
    for step in steps:
        last = last if step == "again" else event(step)
        await send(w, [signed(w, last)])

    async def settled() -> list[dict[str, Any]]:
        events = await canonical(w)
        hub = {e["subject"] for e in events if e["data"].get("title") == title}
        mine = [e for e in events if e["subject"] in hub]
        return mine if len(mine) >= expected else []

    mine = await eventually(settled, timeout=60, what=f"{case} applied")
    await valid_marker(w)
    mine = [e for e in await canonical(w) if e["subject"] == mine[0]["subject"]]
    assert [e["data"]["version"] for e in mine] == list(range(1, len(mine) + 1))
    assert len(mine) == expected
    assert mine[1]["data"]["radius_km"] == 55  # the repeat or the stale update changed nothing
    after = await sample(w.api, "drehscheibe_events_total", consumer=CONSUMER,
                         topic=topic, outcome="applied")  # fmt: skip
    assert after - before == len(steps) + 1  # every record handled, none dead-lettered


async def test_a_principal_without_the_grant_cannot_write_the_inbox(stack: StackUrls) -> None:
    """The broker refuses it before any consumer sees a byte (ACLs, docs/kafka-security.md)."""
    host, port = stack.kafka.split(",")[0].rsplit(":", 1)
    intruder = AIOKafkaProducer(
        bootstrap_servers=f"{host}:{int(port) + 2}", request_timeout_ms=10_000,
        **_sasl("svc-matching", _credentials()["svc-matching"]),
    )  # fmt: skip
    await intruder.start()
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            await intruder.send_and_wait(INBOX_VACANCIES, b"{}", key=b"intruder")
    finally:
        await intruder.stop()


# ---- the HTTP API ---------------------------------------------------------------------
Request = Callable[[World, dict[str, str]], Any]
HUGE = {**bodies.vacancy(), "title": "x" * (300 * 1024)}


def _post(body: Any = None, content: bytes | None = None, **headers: str) -> Request:
    def call(w: World, auth: dict[str, str]) -> Any:
        all_headers = {**auth, **headers}
        if content is not None:
            return w.api.post("/v1/vacancies", content=content, headers=all_headers)
        return w.api.post("/v1/vacancies", json=body, headers=all_headers)

    return call


API_CASES: dict[str, tuple[Request, int]] = {
    "not-json": (_post(content=b"\xff{not json", **{"Content-Type": "application/json"}), 400),
    "wrong-schema": (_post({**bodies.vacancy(), "radius_km": -5}), 422),
    "missing-field": (_post({k: v for k, v in bodies.vacancy().items() if k != "postcode"}), 422),
    "unknown-reference": (_post({**bodies.vacancy(), "postcode": "00000"}), 422),
    "contact-data": (
        lambda w, auth: w.api.post("/v1/profiles", headers=auth,
                                   json={**bodies.profile(), "reference": "jobs@example.org"}),
        422),
    "oversized": (_post(HUGE), 413),
    "no-credentials": (lambda w, _: w.api.post("/v1/vacancies", json=bodies.vacancy()), 401),
    "forged-key": (_post(bodies.vacancy(), Authorization="Bearer dzk_forged"), 401),
    "unauthorised-organisation": (
        lambda w, _: w.api.post("/v1/vacancies", json=bodies.vacancy(), headers=w.hub.auth), 403),
    "stale-version": (lambda w, auth: _stale_update(w, auth), 412),
    "missing-version": (lambda w, auth: _stale_update(w, auth, if_match=None), 428),
    "reused-idempotency-key": (lambda w, auth: _reused_key(w, auth), 409),
}  # fmt: skip


async def _stale_update(w: World, auth: dict[str, str], if_match: str | None = '"1"') -> Any:
    created = (await w.api.post("/v1/vacancies", json=bodies.vacancy(), headers=auth)).json()
    path, changed = f"/v1/vacancies/{created['id']}", {**bodies.vacancy(), "radius_km": 55}
    first = await w.api.put(path, json=changed, headers={**auth, "If-Match": '"1"'})
    assert first.status_code == 200, first.text
    headers = auth if if_match is None else {**auth, "If-Match": if_match}
    return await w.api.put(path, json={**changed, "radius_km": 10}, headers=headers)


async def _reused_key(w: World, auth: dict[str, str]) -> Any:
    headers = {**auth, "Idempotency-Key": f"campaign-{uuid.uuid4()}"}
    first = await w.api.post("/v1/vacancies", json=bodies.vacancy(), headers=headers)
    assert first.status_code == 201, first.text
    other = {**bodies.vacancy(), "radius_km": 12}
    return await w.api.post("/v1/vacancies", json=other, headers=headers)


@pytest.mark.parametrize("case", sorted(API_CASES))
async def test_api_bad_input_gets_problem_details_and_is_counted(world: World, case: str) -> None:
    w, (call, status) = world, API_CASES[case]
    auth, series = w.agency.tenant.auth, "drehscheibe_http_request_seconds_count"
    before = await sample(w.api, series, status=str(status))
    response = await call(w, auth)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert (problem["status"], bool(problem["title"]), bool(problem["type"])) == (
        status,
        True,
        True,
    )
    assert await sample(w.api, series, status=str(status)) - before >= 1
    valid = await w.api.post("/v1/vacancies", json=bodies.vacancy(), headers=auth)
    assert valid.status_code == 201, valid.text  # the API carries on
