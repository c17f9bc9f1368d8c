"""The webhook receiver's process and what it reported: every delivery, in arrival order."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from dataclasses import dataclass, field
from datetime import datetime

from bench.hub.processes import REPO
from deploy.hub import launcher


@dataclass(frozen=True, slots=True)
class Delivery:
    """One webhook as the receiver saw it (wall-clock arrival, verdict on the signature)."""

    arrived: float
    ok: bool
    delivery_id: str
    event_type: str
    vacancy_id: str | None
    profile_id: str | None
    version: int | None
    matched: float | None = None  # wall clock of the match event's making


def parse(line: str) -> Delivery | None:
    """A receiver line into a Delivery; None for anything else it printed."""
    if not line.startswith('{"t"'):
        return None
    raw = json.loads(line)
    matched = datetime.fromisoformat(raw["m"]).timestamp() if raw.get("m") else None
    return Delivery(
        raw["t"], raw["ok"], raw["id"] or "", raw["type"] or "", raw["v"], raw["p"], raw["ver"],
        matched,
    )  # fmt: skip


@dataclass
class Receiver:
    """The receiver process on a fixed port; it can be taken down and brought back."""

    port: int
    secret: str
    _procs: list[launcher.ServiceProcess] = field(default_factory=list)
    _read: list[int] = field(default_factory=list)
    seen: list[Delivery] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Where subscriptions point."""
        return f"http://127.0.0.1:{self.port}/hook"

    async def start(self) -> None:
        """Start the process and wait until it listens."""
        proc = launcher.start_module(
            "receiver", "bench.hub.receiver", ["--port", str(self.port), "--secret", self.secret],
            port=self.port, env={}, cwd=REPO,
        )  # fmt: skip
        self._procs.append(proc)
        self._read.append(0)
        deadline = time.monotonic() + 30
        while not any(line.startswith('{"listening"') for line in proc.lines):
            if proc.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("webhook receiver did not start:\n" + "\n".join(proc.lines))
            await asyncio.sleep(0.05)  # polling interval, bounded by the deadline

    def pid(self) -> int:
        """The process id of the receiver running now."""
        return self._procs[-1].process.pid

    def kill(self) -> None:
        """Take the receiver down hard (SIGKILL): connections are refused until it returns."""
        proc = self._procs[-1]
        if proc.process.poll() is None:
            os.killpg(proc.process.pid, signal.SIGKILL)
            proc.process.wait()
        self.collect()

    def stop(self) -> None:
        """Stop it for good."""
        self.kill()

    def collect(self) -> list[Delivery]:
        """Deliveries reported since the last call (also kept in `seen`)."""
        new: list[Delivery] = []
        for i, proc in enumerate(self._procs):
            lines = proc.lines[self._read[i] :]
            self._read[i] += len(lines)
            new += [d for d in map(parse, lines) if d is not None]
        self.seen += new
        return new
