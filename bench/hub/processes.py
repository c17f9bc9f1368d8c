"""The hub's three services and the webhook receiver as OS processes, restartable one by one."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from dataclasses import dataclass, field
from pathlib import Path

from deploy.hub import launcher

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def peak_rss_mib(pid: int) -> float:
    """Peak resident set size of a live process (VmHWM), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a live process has used so far, 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            # The command name may hold spaces; the fields after it are fixed.
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


# Programs of the local stack, by the command name the kernel reports.
INFRASTRUCTURE = {"java": "kafka", "postgres": "postgres", "redis-server": "redis"}


def infrastructure_cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by the broker, the database and Redis (all their processes)."""
    used = dict.fromkeys(INFRASTRUCTURE.values(), 0.0)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/comm") as comm:
                program = INFRASTRUCTURE.get(comm.read().strip())
        except OSError:
            continue
        if program is not None:
            used[program] += cpu_seconds(int(entry.name))
    return used


def machine_busy_seconds() -> float:
    """CPU time all cores of the machine have spent not idle since boot."""
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(
            int, stat.readline().split()[1:9]
        )
    return (user + nice + system + irq + softirq + steal) / _TICKS


@dataclass
class Hub:
    """Services started with one environment on fixed ports, so a restart keeps its address."""

    env: dict[str, str]
    ports: dict[str, int]
    procs: dict[str, launcher.ServiceProcess] = field(default_factory=dict)
    peak_rss: dict[str, float] = field(default_factory=dict)

    def url(self, name: str) -> str:
        """Base URL of a service."""
        return f"http://127.0.0.1:{self.ports[name]}"

    async def start(self, *names: str) -> None:
        """Start services and wait until each answers /readyz."""
        started = []
        for name in names:
            proc = launcher.start(name, port=self.ports[name], env=self.env, cwd=REPO)
            self.procs[name] = proc
            started.append(proc)
        await asyncio.to_thread(launcher.wait_ready, started, timeout=600)

    def kill(self, name: str) -> None:
        """SIGKILL a service's process group: no shutdown code runs."""
        proc = self.procs.pop(name)
        self._note_rss(name, proc.process.pid)
        os.killpg(proc.process.pid, signal.SIGKILL)
        proc.process.wait()

    def sample_rss(self) -> dict[str, float]:
        """Peak RSS so far of every service (MiB), kept across restarts."""
        for name, proc in self.procs.items():
            self._note_rss(name, proc.process.pid)
        return dict(self.peak_rss)

    def sample_cpu(self, load: tuple[int, ...] = ()) -> dict[str, float]:
        """CPU seconds used so far by every running service, the local stack, the load
        generator's processes `load`, and the whole machine."""
        used = {name: cpu_seconds(proc.process.pid) for name, proc in self.procs.items()}
        generator = {"load generator": sum(map(cpu_seconds, load))} if load else {}
        return {**used, **infrastructure_cpu_seconds(), **generator,
                "machine": machine_busy_seconds()}  # fmt: skip

    def output_marks(self) -> dict[str, int]:
        """How many lines each running service has written so far."""
        return {name: len(proc.lines) for name, proc in self.procs.items()}

    def warnings(self, since: dict[str, int], most: int = 100) -> dict[str, list[str]]:
        """The first warning and error lines each service logged after `since` (JSON logs)."""
        return {
            name: [line for line in proc.lines[since.get(name, 0):]
                   if '"level": "warning"' in line or '"level": "error"' in line][:most]
            for name, proc in self.procs.items()
        }  # fmt: skip

    def _note_rss(self, name: str, pid: int) -> None:
        self.peak_rss[name] = max(self.peak_rss.get(name, 0.0), peak_rss_mib(pid))

    def pids(self) -> dict[str, int]:
        """Process ids of the running services (for py-spy)."""
        return {name: proc.process.pid for name, proc in self.procs.items()}

    def stop_all(self) -> dict[str, bool]:
        """Stop every service (SIGTERM, then SIGKILL after a grace period)."""
        self.sample_rss()
        clean = {}
        for name in list(self.procs):
            clean[name] = launcher.stop(self.procs.pop(name))
        return clean

    def tail(self, name: str, lines: int = 30) -> str:
        """The last lines a service wrote (for error messages)."""
        proc = self.procs.get(name)
        return "\n".join(proc.lines[-lines:]) if proc else ""
