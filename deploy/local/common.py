"""What every component shares: the outcome of `up`, Debian installs, small helpers."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


class StackError(Exception):
    """A component could not be brought up; the message says why."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One line of `up`: what happened to one component."""

    name: str
    address: str
    state: str  # "reused", "started" or "failed"
    detail: str = ""
    log: Path | None = None

    @property
    def ok(self) -> bool:
        return self.state != "failed"

    def line(self) -> str:
        text = f"{self.name:<9} {self.address:<22} {self.state}"
        if self.detail:
            text += f": {self.detail}"
        if not self.ok and self.log is not None:
            text += f" (log: {self.log})"
        return text


def run_logged(cmd: list[str], log: Path, *, env: dict[str, str] | None = None) -> int:
    """Run `cmd` to completion with its output appended to `log`; its exit code."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        done = subprocess.run(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            check=False,
        )
    return done.returncode


def apt_install(package: str, log: Path) -> None:
    """`apt-get install -y package`; on failure `apt-get update` once and retry."""
    if shutil.which("apt-get") is None:
        raise StackError(f"{package} is missing and there is no apt-get to install it")
    if os.geteuid() != 0:
        raise StackError(f"{package} is missing; install it (apt-get needs root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", package]
    if run_logged(install, log, env=env) == 0:
        return
    if (
        run_logged(["apt-get", "update"], log, env=env) == 0
        and run_logged(install, log, env=env) == 0
    ):
        return
    raise StackError(f"apt-get install {package} failed")


def chown_to(path: Path, user: str) -> None:
    """Give `path` to `user` (a no-op unless we are root)."""
    if os.geteuid() == 0:
        shutil.chown(path, user=user, group=user)
