"""Where the services spend their time: py-spy samples of each process during a step."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path

PY_SPY = Path(sys.executable).with_name("py-spy")


async def record(pids: dict[str, int], seconds: float, out: Path) -> dict[str, Path]:
    """Sample every service for `seconds` (collapsed stacks, one file per service)."""
    await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
    files = {name: out / f"{name}.collapsed" for name in pids}
    children = [
        await asyncio.create_subprocess_exec(
            str(PY_SPY),
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(int(seconds)),
            "--rate",
            "50",
            "--format",
            "raw",
            "--nonblocking",
            "-o",
            str(files[name]),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        for name, pid in pids.items()
    ]
    for child in children:
        await child.wait()
    return {name: path for name, path in files.items() if path.exists()}


def _frame(frame: str) -> str:
    # "function (path/to/module.py:123)" -> "function (module.py)"
    name, _, where = frame.partition(" (")
    return f"{name} ({Path(where.split(':')[0]).name})" if where else name


def hotspots(collapsed: Path, top: int = 6) -> list[tuple[str, float]]:
    """Functions by share of samples in which they run (self time, idle excluded)."""
    own: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        leaf = _frame(stack.split(";")[-1])
        if leaf.startswith(("select (", "poll (", "epoll", "_run_once")):
            continue  # the event loop waiting: idle, not work
        own[leaf] += int(count)
        total += int(count)
    return [(name, n / total) for name, n in own.most_common(top)] if total else []


def stages(collapsed: Path, markers: dict[str, str]) -> dict[str, float]:
    """Share of busy samples whose stack passes through each named stage's marker."""
    hits: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack.split(";")[-1].startswith(("select (", "poll (", "epoll")):
            continue
        total += int(count)
        for stage, marker in markers.items():
            if marker in stack:
                hits[stage] += int(count)
    return {stage: hits[stage] / total for stage in markers} if total else {}
