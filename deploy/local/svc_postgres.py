"""PostgreSQL from Debian's packages, run as the `postgres` OS user with data in STACK_DIR."""

from __future__ import annotations

import asyncio
import getpass
import os
import stat
import subprocess
import time
from pathlib import Path

import asyncpg

from deploy.local import procs
from deploy.local.common import Outcome, StackError, apt_install, chown_to
from deploy.local.probes import check, port_open, postgres_probe, wait_ready
from deploy.local.stack_config import Database, StackConfig

NAME = "postgres"
MARKER = "postgres"
READY_TIMEOUT = 60.0
SETTINGS = """
# Added by deploy/local/stack.py (small machine, local development; fsync stays on).
max_connections = 200
shared_buffers = 128MB
log_timezone = 'UTC'
timezone = 'UTC'
"""


def data_dir(cfg: StackConfig) -> Path:
    return cfg.stack_dir / "postgres"


def log_file(cfg: StackConfig) -> Path:
    return cfg.logs_dir / "postgres.log"


def os_user() -> str:
    """root may not run postgres: use the `postgres` account then."""
    return "postgres" if os.geteuid() == 0 else getpass.getuser()


def find_bindir(version: str | None = None) -> Path | None:
    """The highest (or the given) version's bin folder under /usr/lib/postgresql."""
    found = [
        p.parent
        for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")
        if p.parents[1].name.isdigit() and (version is None or p.parents[1].name == version)
    ]
    return max(found, key=lambda p: int(p.parent.name), default=None)


def bindir(cfg: StackConfig) -> Path:
    """Binaries matching an existing data directory's version, else the newest installed."""
    version_file = data_dir(cfg) / "PG_VERSION"
    version = version_file.read_text().strip() if version_file.exists() else None
    found = find_bindir(version)
    if found is None and version is None:
        apt_install("postgresql", cfg.logs_dir / "apt.log")
        found = find_bindir()
    if found is None:
        raise StackError(f"no PostgreSQL {version or ''} binaries under /usr/lib/postgresql")
    return found


def run_as_owner(cmd: list[str], cfg: StackConfig) -> None:
    """Run a PostgreSQL tool as the OS user that owns the data; output to postgres-setup.log."""
    log = cfg.logs_dir / "postgres-setup.log"
    user = os_user() if os.geteuid() == 0 else None
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        done = subprocess.run(
            cmd, cwd=cfg.stack_dir, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, check=False,
            user=user, group=user, extra_groups=[] if user else None,
        )  # fmt: skip
    if done.returncode != 0:
        raise StackError(f"{Path(cmd[0]).name} failed (log: {log})")


def check_traversable(path: Path) -> None:
    """The postgres user must be able to walk down to STACK_DIR."""
    if os.geteuid() != 0:
        return
    for parent in path.parents:
        if not parent.stat().st_mode & stat.S_IXOTH:
            raise StackError(f"{parent} is not traversable by the postgres user (chmod o+x)")


def write_pwfile(cfg: StackConfig) -> Path:
    """DATABASE_URL's password in a file only the data's owner can read, for initdb."""
    cfg.run_dir.mkdir(parents=True, exist_ok=True)
    pwfile = cfg.run_dir / "pgpass.tmp"
    pwfile.unlink(missing_ok=True)
    fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(cfg.database.password + "\n")
    chown_to(pwfile, os_user())
    return pwfile


def init(cfg: StackConfig, bins: Path) -> None:
    """initdb once, with DATABASE_URL's user and password as the superuser.

    Without a password in DATABASE_URL, TCP connections are trusted (loopback only).
    """
    data = data_dir(cfg)
    if (data / "PG_VERSION").exists():
        return
    check_traversable(data)
    data.mkdir(mode=0o700, parents=True, exist_ok=True)
    chown_to(data, os_user())
    auth = "scram-sha-256" if cfg.database.password else "trust"
    cmd = [str(bins / "initdb"), "-D", str(data), f"--username={cfg.database.user}"]
    cmd += [f"--auth-host={auth}", "--auth-local=trust", "--encoding=UTF8", "--locale=C"]
    pwfile = write_pwfile(cfg) if cfg.database.password else None
    try:
        run_as_owner([*cmd, f"--pwfile={pwfile}"] if pwfile else cmd, cfg)
    finally:
        if pwfile:
            pwfile.unlink(missing_ok=True)
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(SETTINGS)


def start(cfg: StackConfig, bins: Path) -> int:
    """pg_ctl start -w; the postmaster's pid, from postmaster.pid."""
    sockets = cfg.stack_dir / "pgsocket"
    sockets.mkdir(parents=True, exist_ok=True)
    chown_to(sockets, os_user())
    log = log_file(cfg)
    procs.rotate(log)
    log.touch()
    chown_to(log, os_user())
    options = (
        f"-c listen_addresses={cfg.database.address.host} -p {cfg.database.address.port}"
        f" -c unix_socket_directories={sockets}"
    )
    cmd = [str(bins / "pg_ctl"), "start", "-D", str(data_dir(cfg)), "-l", str(log), "-w"]
    run_as_owner([*cmd, "-t", str(int(READY_TIMEOUT)), "-o", options], cfg)
    pid = procs.read_pid(data_dir(cfg) / "postmaster.pid")
    if pid is None:
        raise StackError("pg_ctl started no postmaster")
    procs.write_pid(procs.pid_file(cfg.run_dir, NAME), pid)
    return pid


async def ensure_database(db: Database) -> bool:
    """CREATE DATABASE when DATABASE_URL's database is missing; True if it created it."""
    conn = await asyncpg.connect(db.url_for("postgres"), timeout=10)
    try:
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", db.name):
            return False
        quoted = '"' + db.name.replace('"', '""') + '"'
        await conn.execute(f"CREATE DATABASE {quoted}")
        return True
    finally:
        await conn.close()


def launch(cfg: StackConfig) -> int:
    """initdb (once) and start; the postmaster's pid."""
    bins = bindir(cfg)
    init(cfg, bins)
    return start(cfg, bins)


def create_database(cfg: StackConfig) -> bool:
    """Create DATABASE_URL's database unless it is the maintenance database itself."""
    if cfg.database.name == "postgres":
        return False
    return asyncio.run(ensure_database(cfg.database))


def up(cfg: StackConfig) -> Outcome:
    """Reuse a server that answers, else initdb (once), start and create the database."""
    address = str(cfg.database.address)
    ours = procs.recorded_pid(procs.pid_file(cfg.run_dir, NAME), MARKER)
    probe = check(lambda: postgres_probe(cfg.database.url))
    if probe.ok:
        return Outcome(NAME, address, "reused", f"ours, pid {ours}" if ours else "external")
    missing_db = probe.detail.startswith("InvalidCatalogNameError")
    if ours is None and not missing_db and port_open(cfg.database.address):
        return Outcome(NAME, address, "failed", f"port in use; DATABASE_URL fails: {probe.detail}")
    if ours is None and not missing_db and not cfg.database.address.is_local:
        return Outcome(NAME, address, "failed", f"remote server does not answer: {probe.detail}")
    began = time.monotonic()
    try:
        pid = ours if ours is not None or missing_db else launch(cfg)
        created = create_database(cfg)
    except (StackError, OSError, asyncpg.PostgresError) as exc:
        return Outcome(NAME, address, "failed", str(exc), log_file(cfg))
    ready = wait_ready(lambda: postgres_probe(cfg.database.url), 10.0, lambda: True)
    if not ready.ok:
        return Outcome(NAME, address, "failed", ready.detail, log_file(cfg))
    state = "started" if pid is not None and pid != ours else "reused"
    note = f", created database {cfg.database.name}" if created else ""
    whose = f"pid {pid}" if pid is not None else "external"
    return Outcome(
        NAME, address, state, f"{whose}, ready in {time.monotonic() - began:.1f} s{note}"
    )
