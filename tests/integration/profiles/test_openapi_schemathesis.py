"""Property-based API tests: schemathesis generates requests from the OpenAPI document.

The profiles service runs as a real process; every operation gets a bounded number of
generated requests, valid and invalid, sent with an API key. No answer may be a 5xx,
and every answer must match the document: a declared status code, the declared
content type, and a body of the declared schema.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from deploy.hub import launcher
from shared.events import OrganisationKind as Kind
from tests.integration.profiles import bodies
from tests.integration.profiles.bodies import REGION
from tests.integration.profiles.conftest import Tenant, make_tenant
from tests.receiver import free_port
from tests.stack import StackUrls

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = 30  # per operation and generation mode: the whole run stays well under 2 minutes
Operation = schemathesis.APIOperation[Any, Any, Any, Any]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
async def service(
    stack: StackUrls, own_database: str, topic_prefix: str
) -> AsyncIterator[launcher.ServiceProcess]:
    """The API as its own process, without a rate limit in the way."""
    env = {
        **stack.env(), "DATABASE_URL": own_database, "KAFKA_TOPIC_PREFIX": topic_prefix,
        "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING", "PROFILES_RATE_LIMIT_REQUESTS": "1000000",
    }  # fmt: skip
    proc = launcher.start("profiles", port=free_port(), env=env, cwd=REPO)
    try:
        await asyncio.to_thread(launcher.wait_ready, [proc])
        yield proc
    finally:
        assert launcher.stop(proc), "\n".join(proc.lines[-30:])


def _run(operation: Operation, mode: GenerationMode, base_url: str, who: Tenant) -> None:
    """Send generated requests of one operation and mode; raise on the first failed check."""

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: schemathesis.Case[Operation]) -> None:
        response = case.call(base_url=base_url, headers=who.auth, timeout=10)
        case.validate_response(response, checks=CHECKS)

    check()


def _fuzz(base_url: str, keys: dict[str, Tenant]) -> list[str]:
    """Run every operation; return one line per operation and mode that failed a check."""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    failures: list[str] = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        # Staff releases are the firms'; everything else is tried as an agency.
        who = keys["firm" if "staff-releases" in operation.path else "agency"]
        for mode in GenerationMode:
            try:
                _run(operation, mode, base_url, who)
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE, operation.label  # nothing to get wrong
            except (Exception, BaseExceptionGroup) as exc:  # every failure, not only the first
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
    return failures


async def test_generated_requests_get_no_5xx_and_only_documented_answers(
    service: launcher.ServiceProcess, own_database: str
) -> None:
    keys = {
        name: await make_tenant(own_database, f"fuzz-{name}", kind, [REGION])
        for name, kind in (("firm", Kind.FIRM), ("agency", Kind.AGENCY))
    }
    failures = await asyncio.to_thread(_fuzz, service.base_url, keys)
    assert not failures, "\n\n".join(failures)


async def test_nul_characters_are_refused_as_problems_not_server_errors(
    api: httpx.AsyncClient, tenants: dict[str, Tenant]
) -> None:
    auth = tenants["agency"].auth
    answers = [
        await api.get("/v1/vacancies", params={"occupation": "a\x00"}, headers=auth),
        await api.post("/v1/vacancies", json=bodies.vacancy(title="a\x00b"), headers=auth),
        await api.post("/v1/profiles", json=bodies.profile(reference="a\x00b"), headers=auth),
        await api.post(
            "/v1/vacancies", json=bodies.vacancy(), headers={**auth, "Idempotency-Key": "k\x00"}
        ),
    ]
    assert [(a.status_code, a.json()["type"].rsplit("/", 1)[1]) for a in answers] == [
        (422, "validation")
    ] * 4
