"""`drehscheibe import` against the real API: reports bad rows, resumes without duplicates."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from operators.importing.checkpoint import Checkpoint
from operators.importing.client import BatchClient
from operators.importing.kinds import Kind
from operators.importing.rows import read_rows
from operators.importing.runner import BatchPolicy, run_import
from tests.integration.profiles.bodies import CHEMIKANT, GMP, PLANT
from tests.integration.profiles.conftest import Tenant
from tests.waiting import eventually

pytestmark = pytest.mark.integration
HEADER = "occupation,competences,postcode,radius_km,title,openings\n"


def _good(n: int) -> str:
    return f'{CHEMIKANT},"{GMP}|3|must;{PLANT}|2|should",06237,40,Stelle {n},1\n'


async def _vacancies(db: asyncpg.Connection, org: Any) -> list[str]:
    rows = await db.fetch(
        "SELECT body->>'title' AS title FROM profiles.vacancies WHERE organisation_id = $1",
        org,
    )
    return sorted(r["title"] for r in rows)


def _cli(*args: str, env: dict[str, str]) -> list[str]:
    return [sys.executable, "-m", "operators.main", "import", *args]


async def test_good_rows_go_in_and_the_report_names_each_bad_row(
    tmp_path: Path, api_url: str, agency: Tenant, db: asyncpg.Connection
) -> None:
    export = tmp_path / "vacancies.csv"
    export.write_text(
        HEADER
        + _good(1)
        + f"{CHEMIKANT},{GMP}|3,99999,40,Stelle 2,1\n"  # unknown postal code: the API says so
        + _good(3)
        + f"{CHEMIKANT},{GMP},06237,40,Stelle 4,1\n"  # competence without a level
        + f"{CHEMIKANT},{GMP}|3,06237,40,Stelle 5,zwei\n"  # openings not a number
        + _good(6)
    )
    report = tmp_path / "rejected.csv"
    env = {**os.environ, "DREHSCHEIBE_API_KEY": agency.key, "DREHSCHEIBE_API_URL": api_url}
    proc = await asyncio.create_subprocess_exec(
        *_cli("vacancies", str(export), "--report", str(report), env=env),
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output = (await proc.communicate())[0].decode()
    assert proc.returncode == 3, output
    assert "6 rows: 3 stored, 0 stored earlier, 3 rejected" in output
    assert await _vacancies(db, agency.org_id) == ["Stelle 1", "Stelle 3", "Stelle 6"]
    with report.open() as f:
        rejected = [(int(r["row"]), r["field"], r["value"], r["reason"]) for r in csv.DictReader(f)]
    assert rejected == [
        (3, "postcode", "99999", "unknown postal code '99999'"),
        (5, "competences[0]", GMP, "expected competence_id|min_level|importance"),
        (6, "openings", "zwei",
         "Input should be a valid integer, unable to parse string as an integer"),
    ]  # fmt: skip
    assert not export.with_name("vacancies.csv.checkpoint.json").exists()


class _KilledError(Exception):
    """Stands for the process dying (a real kill is tested through the CLI below)."""


class _CrashAfter(httpx.AsyncBaseTransport):
    """Passes requests through; after `n` answered batches, fails as a killed process would."""

    def __init__(self, inner: httpx.AsyncBaseTransport, n: int) -> None:
        self.inner, self.left = inner, n

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.left -= 1
        if self.left < 0:
            # The server committed this batch; the client dies before recording it.
            await response.aread()
            raise _KilledError
        return response


async def test_a_crash_after_the_server_committed_a_batch_resumes_without_duplicates(
    tmp_path: Path, api_url: str, agency: Tenant, db: asyncpg.Connection
) -> None:
    rows = read_rows(HEADER + "".join(_good(n) for n in range(25)), Kind.VACANCIES, "csv")
    state_file = tmp_path / "state.json"
    policy = BatchPolicy(size=4, concurrency=1)
    headers = {"Authorization": f"Bearer {agency.key}"}
    crashing = _CrashAfter(httpx.AsyncHTTPTransport(), 3)
    async with httpx.AsyncClient(base_url=api_url, headers=headers, transport=crashing) as http:
        state = Checkpoint.open(state_file, digest="d", kind="vacancies")
        with pytest.raises(_KilledError):
            await run_import(rows, Kind.VACANCIES, BatchClient(http), state, policy=policy)
    assert json.loads(state_file.read_text())["rows_done"] == 12
    assert len(await _vacancies(db, agency.org_id)) == 16  # the fourth batch went in too

    async with httpx.AsyncClient(base_url=api_url, headers=headers) as http:
        resumed = Checkpoint.open(state_file, digest="d", kind="vacancies")
        assert resumed.resumed
        done = await run_import(rows, Kind.VACANCIES, BatchClient(http), resumed, policy=policy)
    assert (done.stored, done.replayed, done.rejections) == (21, 4, [])
    assert await _vacancies(db, agency.org_id) == sorted(f"Stelle {n}" for n in range(25))


async def test_the_cli_killed_mid_import_resumes_on_rerun_with_every_row_once(
    tmp_path: Path, api_url: str, agency: Tenant, db: asyncpg.Connection
) -> None:
    export = tmp_path / "vacancies.jsonl"
    body = {"occupation": CHEMIKANT, "postcode": "06237", "radius_km": 40,
            "competences": [{"competence_id": GMP, "min_level": 3}]}  # fmt: skip
    export.write_text("".join(json.dumps({**body, "title": f"V{n}"}) + "\n" for n in range(300)))
    checkpoint = tmp_path / "vacancies.jsonl.checkpoint.json"
    env = {**os.environ, "DREHSCHEIBE_API_KEY": agency.key, "DREHSCHEIBE_API_URL": api_url}
    args = _cli("vacancies", str(export), "--batch-size", "5", env=env)
    first = await asyncio.create_subprocess_exec(*args, env=env, stdout=asyncio.subprocess.DEVNULL)

    async def some_progress() -> bool:
        if not checkpoint.exists():
            return False
        return bool(json.loads(checkpoint.read_text())["rows_done"] > 0)

    await eventually(some_progress, timeout=60, what="the first batches to be recorded")
    first.send_signal(signal.SIGKILL)
    await first.wait()
    assert json.loads(checkpoint.read_text())["rows_done"] < 300, "killed too late to test"

    again = await asyncio.create_subprocess_exec(
        *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output = (await again.communicate())[0].decode()
    assert again.returncode == 0, output
    assert "resuming after row" in output
    assert await _vacancies(db, agency.org_id) == sorted(f"V{n}" for n in range(300))
