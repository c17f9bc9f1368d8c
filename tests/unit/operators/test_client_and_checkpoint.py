"""The batch client retries what is transient; the checkpoint resumes only its own file."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from operators.importing.checkpoint import Checkpoint
from operators.importing.client import BatchClient, ImportAbortedError
from operators.importing.kinds import Kind
from operators.importing.report import Rejection


def client(*answers: httpx.Response) -> tuple[BatchClient, list[httpx.Request]]:
    queue, seen = list(answers), []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0)

    http = httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://api")
    return BatchClient(http, pause_s=0.001), seen


async def test_a_rate_limited_or_unavailable_batch_is_sent_again() -> None:
    ok = httpx.Response(200, json={"results": []})
    batches, seen = client(
        httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(503), ok
    )
    assert await batches.send(Kind.VACANCIES, [{"key": "k", "body": {}}]) == {"results": []}
    assert [r.url.path for r in seen] == ["/v1/batch/vacancies"] * 3


async def test_a_refused_batch_stops_the_import_with_the_apis_reason() -> None:
    batches, seen = client(httpx.Response(401, json={"detail": "the API key is unknown"}))
    with pytest.raises(ImportAbortedError, match="401: the API key is unknown"):
        await batches.send(Kind.PROFILES, [])
    assert len(seen) == 1


def test_a_checkpoint_resumes_its_own_file_and_kind_only(tmp_path: Path) -> None:
    path = tmp_path / "export.csv.checkpoint.json"
    state = Checkpoint.open(path, digest="abc", kind="vacancies")
    state.rows_done, state.stored = 40, 38
    state.rejections.append(Rejection(7, "postcode", "99999", "unknown postal code"))
    state.save()
    resumed = Checkpoint.open(path, digest="abc", kind="vacancies")
    assert (resumed.resumed, resumed.rows_done, resumed.stored) == (True, 40, 38)
    assert resumed.rejections == state.rejections
    assert Checkpoint.open(path, digest="edited", kind="vacancies").rows_done == 0
    assert Checkpoint.open(path, digest="abc", kind="profiles").rows_done == 0
    assert Checkpoint.open(path, digest="abc", kind="vacancies", restart=True).rows_done == 0
    resumed.finish()
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
