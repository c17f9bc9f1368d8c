"""`python -m deploy.hub run|stop|demo`: the hub's services on this machine, for `make run`.

`run` starts the three services and a demo webhook receiver, waits until they are
ready, loads the demo world, prints where to look and relays every log line with
the service's name in front; Ctrl-C (or `stop`, which `make down` calls) ends
everything it started. `demo --api URL` loads the demo world into a hub that is
already running (its database must be reachable through DATABASE_URL, where the
demo organisations and their keys are made).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from deploy.hub import launcher
from deploy.hub.demo import post_demo, provision_demo
from deploy.hub.welcome import demo_summary, welcome

REPO = Path(__file__).resolve().parents[2]
RECEIVER_PORT = 8088


def _run_dir() -> Path:
    return Path(os.environ.get("STACK_DIR", REPO / ".local")) / "run" / "services"


def _start_all(secret: str) -> list[launcher.ServiceProcess]:
    env = {
        "LOG_FORMAT": "console",
        "NOTIFICATIONS_WEBHOOK_URL": f"http://127.0.0.1:{RECEIVER_PORT}/webhook",
        "NOTIFICATIONS_WEBHOOK_SECRET": secret,
        # The demo's webhook receiver listens on plain http on loopback.
        "PROFILES_ALLOW_INSECURE_WEBHOOKS": "true",
        "NOTIFICATIONS_ALLOW_INSECURE_LOCALHOST": "true",
    }
    procs = [
        launcher.start(name, port=launcher.DEFAULT_PORTS[name], env=env, cwd=REPO, echo=sys.stdout)
        for name in launcher.SERVICES
    ]
    receiver = launcher.start_module(
        "receiver",
        "deploy.hub.receiver",
        ["--port", str(RECEIVER_PORT), "--secret", secret],
        port=RECEIVER_PORT,
        env=env,
        cwd=REPO,
        echo=sys.stdout,
    )
    for proc in [*procs, receiver]:
        launcher.write_pid(_run_dir(), proc)
    return [*procs, receiver]


def run() -> int:
    """Start everything, post the demo, wait for Ctrl-C or `stop`."""
    secret = os.environ.get("NOTIFICATIONS_WEBHOOK_SECRET", "dev-only-webhook-secret")
    stop = threading.Event()

    def on_signal(_sig: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    _run_dir().mkdir(parents=True, exist_ok=True)
    (_run_dir().parent / "supervisor.pid").write_text(str(os.getpid()))
    procs = _start_all(secret)
    try:
        launcher.wait_ready(procs)
        keys = provision_demo()
        ids = post_demo(procs[0].base_url, keys, receiver=procs[3].base_url)
        print(welcome([p.base_url for p in procs], ids, keys), flush=True)
        while not stop.wait(0.5):
            if any(p.process.poll() is not None for p in procs):
                print("a service exited; stopping the hub", file=sys.stderr)
                return 1
        return 0
    finally:
        for proc in reversed(procs):
            launcher.stop(proc)
            (_run_dir() / f"{proc.name}.pid").unlink(missing_ok=True)
        (_run_dir().parent / "supervisor.pid").unlink(missing_ok=True)


def stop_recorded() -> int:
    """Stop what an earlier `run` started (used by `make down`)."""
    supervisor = _run_dir().parent / "supervisor.pid"
    stopped = []
    if supervisor.exists():
        launcher.stop_pid(int(supervisor.read_text()))
        supervisor.unlink(missing_ok=True)
        stopped.append("the hub supervisor and its services")
    stopped += launcher.stop_recorded(_run_dir())
    print(f"stopped: {', '.join(stopped) or 'nothing was running'}")
    return 0


def load_demo(api: str, receiver: str | None) -> int:
    """Load the demo world into a running hub and print its keys."""
    keys = provision_demo()
    ids = post_demo(api.rstrip("/"), keys, receiver=receiver.rstrip("/") if receiver else None)
    print(demo_summary(api.rstrip("/"), ids, keys), flush=True)
    return 0


def main() -> int:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m deploy.hub")
    parser.add_argument("action", choices=("run", "stop", "demo"))
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="demo: the hub's API")
    parser.add_argument(
        "--receiver", default=None, help="demo: base URL of a demo webhook receiver to subscribe"
    )
    args = parser.parse_args()
    if args.action == "demo":
        return load_demo(args.api, args.receiver)
    return run() if args.action == "run" else stop_recorded()


if __name__ == "__main__":
    sys.exit(main())
