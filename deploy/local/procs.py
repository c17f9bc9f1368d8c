"""Processes the stack starts: detached launch, pid files, stop with a deadline."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


def pid_file(run_dir: Path, name: str) -> Path:
    """Where `up` records the pid of a server it started."""
    return run_dir / f"{name}.pid"


def write_pid(path: Path, pid: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{pid}\n")


def read_pid(path: Path) -> int | None:
    """The pid in a pid file (first line, as in postmaster.pid), or None."""
    try:
        return int(path.read_text().split("\n", 1)[0].strip())
    except (OSError, ValueError):
        return None


def is_alive(pid: int) -> bool:
    """True for a running process; a zombie counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def cmdline(pid: int) -> str:
    """The process's command line, NUL-separated arguments joined by spaces."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def recorded_pid(path: Path, marker: str) -> int | None:
    """The pid in `path` if that process still runs and is the one we started.

    `marker` must appear in its command line, so a recycled pid is never ours.
    A pid file for a dead or foreign process is removed.
    """
    pid = read_pid(path)
    if pid is not None and is_alive(pid) and marker in cmdline(pid):
        return pid
    path.unlink(missing_ok=True)
    return None


def rotate(log: Path) -> None:
    """Keep one previous log: `x.log` becomes `x.log.1`."""
    if log.exists() and log.stat().st_size > 0:
        log.replace(log.with_name(log.name + ".1"))


def spawn(
    cmd: Sequence[str],
    log: Path,
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start `cmd` in its own session, detached, stdout and stderr to `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    rotate(log)
    with log.open("ab") as out:
        return subprocess.Popen(
            list(cmd),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_gone(pid: int, deadline: float) -> bool:
    """Wait until `pid` has exited or `deadline` (monotonic) has passed."""
    while is_alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def stop(pid: int, *, sig: signal.Signals = signal.SIGTERM, grace: float = 30.0) -> str:
    """Send `sig`, wait up to `grace` seconds, then SIGKILL. Says what happened."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return "already gone"
    if wait_gone(pid, time.monotonic() + grace):
        return f"stopped ({sig.name})"
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return f"stopped ({sig.name})"
    wait_gone(pid, time.monotonic() + 10.0)
    return f"killed (SIGKILL after {grace:.0f} s)"
