"""Redis from Debian's redis-server package, append-only so state survives restarts."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from deploy.local import procs
from deploy.local.common import Outcome, StackError, apt_install
from deploy.local.probes import check, port_open, redis_probe, wait_ready
from deploy.local.stack_config import StackConfig

NAME = "redis"
MARKER = "redis-server"
READY_TIMEOUT = 20.0


def log_file(cfg: StackConfig) -> Path:
    return cfg.logs_dir / "redis.log"


def binary(cfg: StackConfig) -> str:
    """redis-server's path, installed from Debian when missing."""
    found = shutil.which("redis-server")
    if found is None:
        apt_install("redis-server", cfg.logs_dir / "apt.log")
        found = shutil.which("redis-server")
    if found is None:
        raise StackError("redis-server is still missing after apt-get install")
    return found


def start(cfg: StackConfig) -> subprocess.Popen[bytes]:
    data = cfg.stack_dir / "redis"
    data.mkdir(parents=True, exist_ok=True)
    cmd = [
        binary(cfg),
        "--bind", cfg.redis.host,
        "--port", str(cfg.redis.port),
        "--dir", str(data),
        "--daemonize", "no",
        "--appendonly", "yes",
    ]  # fmt: skip
    proc = procs.spawn(cmd, log_file(cfg), cwd=data)
    procs.write_pid(procs.pid_file(cfg.run_dir, NAME), proc.pid)
    return proc


def up(cfg: StackConfig) -> Outcome:
    """Reuse a Redis that answers PING, else start one."""
    address = str(cfg.redis)
    ours = procs.recorded_pid(procs.pid_file(cfg.run_dir, NAME), MARKER)
    probe = check(lambda: redis_probe(cfg.redis_url))
    if probe.ok:
        whose = f"ours, pid {ours}" if ours else "external"
        return Outcome(NAME, address, "reused", whose)
    if ours is not None or port_open(cfg.redis) or not cfg.redis.is_local:
        return Outcome(NAME, address, "failed", f"does not answer PING ({probe.detail})")
    began = time.monotonic()
    try:
        proc = start(cfg)
    except (StackError, OSError) as exc:
        return Outcome(NAME, address, "failed", str(exc), cfg.logs_dir / "apt.log")
    ready = wait_ready(
        lambda: redis_probe(cfg.redis_url), READY_TIMEOUT, lambda: proc.poll() is None
    )
    if not ready.ok:
        return Outcome(NAME, address, "failed", ready.detail, log_file(cfg))
    return Outcome(
        NAME, address, "started", f"pid {proc.pid}, ready in {time.monotonic() - began:.1f} s"
    )
