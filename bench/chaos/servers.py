"""Dedicated Kafka, PostgreSQL and Redis for a fault run, on free ports under a temp dir.

The shared development servers keep running untouched: the fault run stops and
restarts only these, through the same deploy/local scripts `make up` uses.
"""

from __future__ import annotations

import logging
import shutil
import signal
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

import redis

from deploy.local import procs, svc_kafka, svc_postgres, svc_redis
from deploy.local.common import Outcome
from deploy.local.stack_config import REPO, StackConfig, load_config

SHARED_LIBS = REPO / ".local" / "kafka" / "libs"


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _ports(count: int, start: int = 21000) -> list[int]:
    """`count` free ports; Kafka needs three in a row (client, controller, SASL)."""
    found: list[int] = []
    port = start
    while len(found) < count:
        if all(_free(port + i) for i in range(3)):
            found.append(port)
            port += 3
        port += 1
    return found


@dataclass
class Servers:
    """The three servers of one fault run."""

    cfg: StackConfig

    @classmethod
    def create(cls) -> Servers:
        """Pick ports and a directory the `postgres` OS user can enter."""
        root = Path(tempfile.mkdtemp(prefix="dz-chaos-"))
        root.chmod(0o755)
        kafka, pg, rd = _ports(3, start=21000 + (hash(root.name) % 2000) * 3)
        env = {
            "STACK_DIR": str(root),
            "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{kafka}",
            "DATABASE_URL": f"postgresql://drehscheibe:drehscheibe@127.0.0.1:{pg}/drehscheibe",
            "REDIS_URL": f"redis://127.0.0.1:{rd}/0",
        }
        return cls(load_config(env))

    @property
    def env(self) -> dict[str, str]:
        """As the services read them."""
        return {
            "KAFKA_BOOTSTRAP_SERVERS": self.cfg.kafka_bootstrap,
            "DATABASE_URL": self.cfg.database.url,
            "REDIS_URL": self.cfg.redis_url,
        }

    def up(self) -> None:
        """Start all three (the Kafka jars are shared with the development stack when present)."""
        self.cfg.logs_dir.mkdir(parents=True, exist_ok=True)
        # aiokafka logs every refused connection while the broker starts; the probes report.
        logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
        libs = svc_kafka.libs_dir(self.cfg)
        if (SHARED_LIBS / ".complete").exists() and not libs.exists():
            libs.parent.mkdir(parents=True, exist_ok=True)
            libs.symlink_to(SHARED_LIBS)
        for up in (svc_kafka.up, svc_postgres.up, svc_redis.up):
            _check(up(self.cfg))

    def _stop(self, name: str, sig: signal.Signals) -> None:
        pid_file = procs.pid_file(self.cfg.run_dir, name)
        pid = procs.read_pid(pid_file)
        if pid is not None:
            procs.stop(pid, sig=sig, grace=60)
        pid_file.unlink(missing_ok=True)

    def stop_kafka(self) -> None:
        """Stop the broker (SIGTERM: a controlled shutdown)."""
        self._stop(svc_kafka.NAME, signal.SIGTERM)

    def start_kafka(self) -> None:
        """Start the broker again on the same data."""
        _check(svc_kafka.up(self.cfg))

    def restart_postgres(self) -> None:
        """Fast shutdown (every session is cut off) and start again."""
        self._stop(svc_postgres.NAME, signal.SIGINT)
        _check(svc_postgres.up(self.cfg))

    def flush_restart_redis(self) -> None:
        """FLUSHALL, stop and start Redis: every rate-limit window is gone."""
        client = redis.Redis.from_url(self.cfg.redis_url)
        client.flushall()
        client.close()
        self._stop(svc_redis.NAME, signal.SIGTERM)
        _check(svc_redis.up(self.cfg))

    def down(self) -> None:
        """Stop all three and delete their data."""
        for name, sig in (("kafka", signal.SIGTERM), ("postgres", signal.SIGINT),
                          ("redis", signal.SIGTERM)):  # fmt: skip
            self._stop(name, sig)
        shutil.rmtree(self.cfg.stack_dir, ignore_errors=True)


def _check(outcome: Outcome) -> None:
    if not outcome.ok:
        raise RuntimeError(outcome.line())
