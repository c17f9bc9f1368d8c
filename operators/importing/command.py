"""`drehscheibe import KIND FILE`: the command, its options, progress bar and report."""

from __future__ import annotations

import asyncio
import hashlib
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from operators.importing.checkpoint import Checkpoint
from operators.importing.client import BatchClient, ImportAbortedError
from operators.importing.kinds import Kind
from operators.importing.report import print_table, write_report
from operators.importing.rows import FileFormatError, Row, read_rows
from operators.importing.runner import BatchPolicy, run_import

EXIT_REJECTED, EXIT_INTERRUPTED = 3, 130


class Format(StrEnum):
    """File formats; by default taken from the file's suffix."""

    CSV = "csv"
    JSONL = "jsonl"


def _format_of(file: Path, given: Format | None) -> str:
    if given is not None:
        return given.value
    return "csv" if file.suffix.lower() == ".csv" else "jsonl"


async def _run(
    rows: list[Row], kind: Kind, checkpoint: Checkpoint, api_url: str, api_key: str,
    policy: BatchPolicy, progress: Progress,
) -> Checkpoint:  # fmt: skip
    task = progress.add_task(f"importing {kind.value}", total=len(rows))
    progress.advance(task, checkpoint.rows_done)
    headers = {"Authorization": f"Bearer {api_key}"}
    async with httpx.AsyncClient(base_url=api_url, headers=headers, timeout=120) as http:
        return await run_import(
            rows, kind, BatchClient(http), checkpoint, policy=policy,
            advance=lambda n: progress.advance(task, n),
        )  # fmt: skip


def import_file(
    kind: Annotated[Kind, typer.Argument(help="What the file holds.")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    api_key: Annotated[
        str, typer.Option(envvar="DREHSCHEIBE_API_KEY", help="The organisation's API key.")
    ],
    api_url: Annotated[
        str, typer.Option(envvar="DREHSCHEIBE_API_URL", help="Base URL of the public API.")
    ] = "http://127.0.0.1:8000",
    fmt: Annotated[Format | None, typer.Option("--format", help="Default: by suffix.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write rejected rows (.csv/.jsonl).")] = None,
    checkpoint: Annotated[Path | None, typer.Option(help="Default: FILE.checkpoint.json.")] = None,
    restart: Annotated[bool, typer.Option(help="Ignore a saved checkpoint.")] = False,
    batch_size: Annotated[int, typer.Option(min=1, max=1000, help="Rows per request.")] = 500,
    concurrency: Annotated[int, typer.Option(min=1, max=8, help="Requests in flight.")] = 2,
) -> None:
    """Import vacancies, profiles or training offers from CSV or JSON Lines (docs/import.md)."""
    console = Console(stderr=True)
    data, rows = _read(console, file, kind, fmt)
    state = Checkpoint.open(
        checkpoint or file.with_name(file.name + ".checkpoint.json"),
        digest=hashlib.sha256(data).hexdigest(), kind=kind.value, restart=restart,
    )  # fmt: skip
    if state.resumed:
        console.print(f"resuming after row {state.rows_done} of {len(rows)} ({state.path})")
    policy = BatchPolicy(size=batch_size, concurrency=concurrency)
    try:
        with Progress(
            *Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn(),
            TimeRemainingColumn(), console=console,
        ) as progress:  # fmt: skip
            asyncio.run(_run(rows, kind, state, api_url, api_key, policy, progress))
    except KeyboardInterrupt:
        console.print(f"interrupted; run the same command again to resume ({state.path})")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (ImportAbortedError, httpx.TransportError) as exc:
        console.print(f"[red]import stopped: {exc}; rerun to resume ({state.path})")
        raise typer.Exit(1) from exc
    _finish(console, state, report, total=len(rows))


def _read(console: Console, file: Path, kind: Kind, fmt: Format | None) -> tuple[bytes, list[Row]]:
    data = file.read_bytes()
    try:
        return data, read_rows(data.decode("utf-8-sig"), kind, _format_of(file, fmt))
    except (FileFormatError, UnicodeDecodeError) as exc:
        console.print(f"[red]cannot read {file}: {exc}")
        raise typer.Exit(2) from exc


def _finish(console: Console, state: Checkpoint, report: Path | None, *, total: int) -> None:
    console.print(
        f"{total} rows: {state.stored} stored, {state.replayed} stored earlier, "
        f"{state.rejected_rows} rejected"
    )
    if report is not None:
        write_report(report, state.rejections)
        console.print(f"rejected rows written to {report}")
    if state.rejections:
        print_table(console, state.rejections)
    state.finish()
    if state.rejections:
        raise typer.Exit(EXIT_REJECTED)
