"""An import: check rows locally, send the good ones in batches, record every outcome."""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from operators.importing.checkpoint import Checkpoint
from operators.importing.client import BatchClient
from operators.importing.kinds import SPECS, Kind
from operators.importing.report import Rejection, of_problem, of_validation
from operators.importing.rows import Row

Advance = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class BatchPolicy:
    """How rows are grouped: item count, request size (under the API's body limit), overlap."""

    size: int = 500
    max_bytes: int = 240_000
    concurrency: int = 2


@dataclass
class Batch:
    """Rows to send and the rows before them refused locally; `end` is the next row index."""

    end: int = 0
    span: int = 0
    items: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)
    local: list[Rejection] = field(default_factory=list)
    bytes: int = 0


def check(row: Row, kind: Kind) -> list[Rejection]:
    """What is wrong with a row before it is sent (the API checks the reference data)."""
    if row.rejections:
        return row.rejections
    try:
        SPECS[kind].model.model_validate(row.body)
    except ValidationError as exc:
        return of_validation(row.line, exc)
    return []


def plan(rows: Sequence[Row], start: int, kind: Kind, policy: BatchPolicy) -> Iterator[Batch]:
    """Batches of the rows from index `start` on."""
    batch = Batch(end=start)
    for index in range(start, len(rows)):
        row = rows[index]
        batch.end, batch.span = index + 1, batch.span + 1
        if rejected := check(row, kind):
            batch.local += rejected
            continue
        item = {"key": row.key(kind), "body": row.body}
        size = len(json.dumps(item, ensure_ascii=False).encode())
        batch.items.append((row, item))
        batch.bytes += size
        if len(batch.items) >= policy.size or batch.bytes >= policy.max_bytes - 2_000:
            yield batch
            batch = Batch(end=batch.end)
    if batch.span:
        yield batch


@dataclass
class Timings:
    """Latency of each batch request, for the benchmark."""

    seconds: list[float] = field(default_factory=list)


async def run_import(
    rows: Sequence[Row],
    kind: Kind,
    client: BatchClient,
    checkpoint: Checkpoint,
    *,
    policy: BatchPolicy = BatchPolicy(),
    advance: Advance = lambda _: None,
    timings: Timings | None = None,
) -> Checkpoint:
    """Import the rows after the checkpoint; the checkpoint moves after every batch."""
    window: deque[tuple[Batch, asyncio.Task[dict[str, Any]]]] = deque()
    try:
        for batch in plan(rows, checkpoint.rows_done, kind, policy):
            window.append((batch, asyncio.create_task(_send(client, kind, batch, timings))))
            if len(window) >= policy.concurrency:
                _record(checkpoint, *await _next(window), advance)
        while window:
            _record(checkpoint, *await _next(window), advance)
    finally:
        for _, task in window:
            task.cancel()
    return checkpoint


async def _next(
    window: deque[tuple[Batch, asyncio.Task[dict[str, Any]]]],
) -> tuple[Batch, dict[str, Any]]:
    # Batches are recorded in file order, so the checkpoint is always a prefix.
    batch, task = window[0]
    result = await task
    window.popleft()
    return batch, result


async def _send(
    client: BatchClient, kind: Kind, batch: Batch, timings: Timings | None
) -> dict[str, Any]:
    if not batch.items:
        return {"results": []}
    began = time.perf_counter()
    result = await client.send(kind, [item for _, item in batch.items])
    if timings is not None:
        timings.seconds.append(time.perf_counter() - began)
    return result


def _record(checkpoint: Checkpoint, batch: Batch, result: dict[str, Any], advance: Advance) -> None:
    checkpoint.rejections += batch.local
    for (row, _), item in zip(batch.items, result["results"], strict=True):
        if item.get("problem"):
            checkpoint.rejections += of_problem(row.line, row.body, item["problem"])
        elif item.get("replayed"):
            checkpoint.replayed += 1
        else:
            checkpoint.stored += 1
    checkpoint.rejections.sort(key=lambda r: r.row)  # stable: a row's fields keep their order
    checkpoint.rows_done = batch.end
    checkpoint.save()
    advance(batch.span)
