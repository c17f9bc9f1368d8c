"""The hub's three services as separate OS processes, as `make run` starts them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from deploy.hub import launcher
from tests.receiver import free_port

REPO = Path(__file__).resolve().parents[1]


@asynccontextmanager
async def services_running(
    env: dict[str, str],
) -> AsyncIterator[dict[str, launcher.ServiceProcess]]:
    """Start every service on a free port, wait until ready; each must stop cleanly after."""
    procs = {
        name: launcher.start(name, port=free_port(), env=env, cwd=REPO)
        for name in launcher.SERVICES
    }
    try:
        await asyncio.to_thread(launcher.wait_ready, list(procs.values()))
        yield procs
    finally:
        for proc in procs.values():
            assert launcher.stop(proc), "\n".join(proc.lines[-30:])
