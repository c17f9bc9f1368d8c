"""Start, watch and stop the hub's three services as separate OS processes.

`make run` and the end-to-end tests both go through here, so the tests run the
services exactly as a user does: `python -m services.<name>`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

SERVICES = ("profiles", "matching", "notifications")
DEFAULT_PORTS = {"profiles": 8000, "matching": 8001, "notifications": 8002}


@dataclass
class ServiceProcess:
    """One running service, its output relayed line by line with its name in front."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    lines: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        """Where its HTTP endpoints answer."""
        return f"http://127.0.0.1:{self.port}"


def command(name: str) -> list[str]:
    """The command that runs a service."""
    return [sys.executable, "-m", f"services.{name}"]


def _relay(proc: ServiceProcess, stream: IO[bytes], echo: IO[str] | None) -> None:
    for raw in iter(stream.readline, b""):
        line = raw.decode(errors="replace").rstrip()
        proc.lines.append(line)
        if echo is not None:
            echo.write(f"{proc.name:>13} | {line}\n")
            echo.flush()


def start(
    name: str, *, port: int, env: Mapping[str, str], cwd: Path, echo: IO[str] | None = None
) -> ServiceProcess:
    """Start a service in its own process group, its output relayed to `echo`."""
    env = {**env, f"{name.upper()}_HTTP_PORT": str(port)}
    return _spawn(name, command(name), port=port, env=env, cwd=cwd, echo=echo)


def start_module(
    name: str,
    module: str,
    args: list[str],
    *,
    port: int,
    env: Mapping[str, str],
    cwd: Path,
    echo: IO[str] | None = None,
) -> ServiceProcess:
    """Start a helper program (`python -m module args`) the same way."""
    argv = [sys.executable, "-m", module, *args]
    return _spawn(name, argv, port=port, env=env, cwd=cwd, echo=echo)


def _spawn(
    name: str,
    argv: list[str],
    *,
    port: int,
    env: Mapping[str, str],
    cwd: Path,
    echo: IO[str] | None,
) -> ServiceProcess:
    popen = subprocess.Popen(
        argv,
        cwd=cwd,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    proc = ServiceProcess(name, port, popen)
    assert popen.stdout is not None
    threading.Thread(target=_relay, args=(proc, popen.stdout, echo), daemon=True).start()
    return proc


def healthy(proc: ServiceProcess, path: str = "/readyz") -> bool:
    """Whether the service answers 200 on `path`."""
    try:
        with urllib.request.urlopen(proc.base_url + path, timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except OSError:
        return False


def wait_ready(procs: list[ServiceProcess], *, timeout: float = 90.0) -> None:
    """Block until every service is ready; raise with its last output if one is not."""
    deadline = time.monotonic() + timeout
    for proc in procs:
        while not healthy(proc):
            if proc.process.poll() is not None or time.monotonic() > deadline:
                tail = "\n".join(proc.lines[-20:])
                raise RuntimeError(f"{proc.name} did not become ready:\n{tail}")
            time.sleep(0.2)  # polling interval, bounded by the deadline above


def stop(
    proc: ServiceProcess, *, sig: signal.Signals = signal.SIGTERM, grace: float = 15.0
) -> bool:
    """Signal the service's process group; True when it shut down by itself within `grace`."""
    if proc.process.poll() is not None:
        return proc.process.returncode == 0
    os.killpg(proc.process.pid, sig)
    try:
        code = proc.process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.process.pid, signal.SIGKILL)
        proc.process.wait()
        return False
    # uvicorn re-raises the signal after a clean shutdown, so -sig is a clean exit too.
    return code in (0, -sig)


def write_pid(run_dir: Path, proc: ServiceProcess) -> None:
    """Remember a started service so `make down` can stop it."""
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / f"{proc.name}.pid").write_text(str(proc.process.pid))


def stop_recorded(run_dir: Path, *, grace: float = 15.0) -> list[str]:
    """Stop services recorded by `write_pid` (from an earlier `make run`); return their names."""
    stopped = []
    for pid_file in sorted(run_dir.glob("*.pid")):
        pid = int(pid_file.read_text())
        if _signal_group(pid, signal.SIGTERM):
            deadline = time.monotonic() + grace
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)  # waiting for exit, bounded by the deadline
            if _alive(pid):
                _signal_group(pid, signal.SIGKILL)
            stopped.append(pid_file.stem)
        pid_file.unlink()
    return stopped


def stop_pid(pid: int, *, grace: float = 30.0) -> None:
    """Ask one process to stop (SIGTERM) and wait for it; kill it after `grace`."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)  # waiting for exit, bounded by the deadline
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


def _signal_group(pid: int, sig: signal.Signals) -> bool:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        return False
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
