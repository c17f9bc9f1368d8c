"""examples/agency_client.py against the real stack: it posts through the inbox, gets its matches.

The round trip runs the profiles and matching services on a topic prefix over the
plaintext listener, with a database of its own. The SASL/ACL grants of `agency-demo`
name the unprefixed topics, and services on those topics would join the consumer
groups (`profiles.inbox`, `matching`) of any hub running on this shared broker and
read every other run's records; so the authenticated listener is exercised by the
client's read of the real match topic with `agency-demo`, in a group of its own.
"""

from __future__ import annotations

import ast
import asyncio
import json
import sys
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from services.matching.entrypoints.app import create_app as create_matching
from services.profiles.entrypoints.http.app import create_app as create_profiles
from shared.events import OrganisationKind
from shared.topics import MATCHES
from tests.apps import running
from tests.integration.kafka.test_kafka_security import AGENCY, _credentials
from tests.integration.matching.helpers import settings_for as matching_settings
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import make_tenant, settings_for
from tests.integration.profiles.test_inbox import issue
from tests.kafka_tools import read_all
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
CLIENT = REPO / "examples" / "agency_client.py"
FOUND = "de.drehscheibe.match.found.v1"


async def run_client(*args: str, env: dict[str, str]) -> tuple[int, list[dict[str, Any]], str]:
    """Run the example as an agency would; exit code, JSON lines printed, stderr."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(CLIENT), *args, cwd=REPO, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    lines = [json.loads(line) for line in out.decode().splitlines() if line.strip()]
    return proc.returncode or 0, lines, err.decode()


def test_the_example_imports_nothing_of_the_project() -> None:
    tree = ast.parse(CLIENT.read_text())
    roots = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    third_party = roots - set(sys.stdlib_module_names) - {"__future__"}
    assert third_party == {"aiokafka"}


def postings(vacancy_id: uuid.UUID, profile_id: uuid.UUID) -> dict[str, Any]:
    """The agency's input file: one vacancy and one job seeker near Leuna."""
    profile = bodies.profile()
    consent = profile.pop("consent")
    return {
        "vacancies": [{"id": str(vacancy_id), "version": 1, "data": bodies.vacancy()}],
        "profiles": [{"id": str(profile_id), "version": 1, "consent": consent, "data": profile}],
    }


async def hub_ids(database_url: str, organisation: uuid.UUID) -> dict[str, str]:
    """The hub's ids of the agency's postings, by kind, once both exist."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT kind, aggregate_id FROM profiles.inbox_aggregates WHERE organisation_id = $1",
            organisation,
        )
    finally:
        await conn.close()
    found = {r["kind"]: str(r["aggregate_id"]) for r in rows}
    return found if len(found) == 2 else {}


async def test_the_agency_posts_through_the_inbox_and_reads_only_its_matches(
    stack: StackUrls, own_database: str, topic_prefix: str, tmp_path: Path
) -> None:
    profiles = settings_for(stack, own_database, topic_prefix)
    matching = matching_settings(stack.kafka, stack.redis_url, own_database, topic_prefix)
    async with running(create_profiles(profiles)) as api, running(create_matching(matching)):
        region = [bodies.REGION]
        ours = await make_tenant(own_database, "agency", OrganisationKind.AGENCY, region)
        theirs = await make_tenant(own_database, "other", OrganisationKind.AGENCY, region)
        secret = (await issue(profiles, ours)).secret
        v2 = (await api.post("/v1/vacancies", json=bodies.vacancy(), headers=theirs.auth)).json()
        p2 = (await api.post("/v1/profiles", json=bodies.profile(), headers=theirs.auth)).json()
        file = tmp_path / "postings.json"
        file.write_text(json.dumps(postings(uuid.uuid4(), uuid.uuid4())))
        env = {
            "AGENCY_KAFKA_BOOTSTRAP": stack.kafka, "AGENCY_SASL_USERNAME": "",
            "AGENCY_ORGANISATION_ID": str(ours.org_id), "AGENCY_INBOX_SECRET": secret,
            "AGENCY_TOPIC_PREFIX": topic_prefix, "PATH": "/usr/bin:/bin",
        }  # fmt: skip
        code, sent, _ = await run_client("publish", str(file), env=env)
        assert (code, len(sent)) == (0, 2)
        mine = await eventually(
            lambda: hub_ids(own_database, ours.org_id), timeout=60, what="both postings accepted"
        )
        v1, p1 = mine["vacancy"], mine["profile"]
        every_pair = {(v, p) for v in (v1, v2["id"]) for p in (p1, p2["id"])}

        async def all_found() -> bool:
            records = await read_all(stack.kafka, f"{topic_prefix}{MATCHES}")
            events = [json.loads(r.value) for r in records if r.value]
            pairs = {(e["data"]["vacancy_id"], e["data"]["profile_id"]) for e in events}
            return every_pair <= pairs

        await eventually(all_found, timeout=90, what="the matcher matched all four pairs")
        group = ["matches", "--until-caught-up", "--group", f"{topic_prefix}agency.matches"]
        code, lines, err = await run_client(*group, env=env)
        assert code == 0, err
        got = {(m["vacancy_id"], m["profile_id"]): m["mine"] for m in lines if m["type"] == "found"}
        assert got == {(v1, p1): "both", (v1, p2["id"]): "vacancy", (v2["id"], p1): "profile"}
        assert all(0 < m["score"] <= 1 for m in lines if m["type"] == "found")
        # The group committed its offsets: a second run starts behind them.
        code, again, _ = await run_client(*group, env=env)
        assert (code, again) == (0, [])


async def test_the_agency_reads_matches_on_the_authenticated_listener(stack: StackUrls) -> None:
    host, port = stack.kafka.split(",")[0].rsplit(":", 1)
    env = {
        "AGENCY_KAFKA_BOOTSTRAP": f"{host}:{int(port) + 2}", "AGENCY_SASL_USERNAME": AGENCY,
        "AGENCY_SASL_PASSWORD": _credentials()[AGENCY],
        "AGENCY_ORGANISATION_ID": str(uuid.uuid4()), "PATH": "/usr/bin:/bin",
    }  # fmt: skip
    group = f"{AGENCY}.test-{uuid.uuid4().hex[:8]}"
    code, lines, err = await run_client(
        "matches", "--until-caught-up", "--timeout", "60", "--group", group, env=env
    )
    assert code == 0, err
    assert lines == []  # nothing on the real topic is meant for an organisation just made up
    assert json.loads(err.strip().splitlines()[-1]) == {"command": "matches", "count": 0}
    refused = {**env, "AGENCY_SASL_PASSWORD": "not-the-password"}
    code, _, err = await run_client(
        "matches", "--until-caught-up", "--timeout", "20", "--group", group, env=refused
    )
    assert code != 0
