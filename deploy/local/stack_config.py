"""The local stack's configuration: environment variables with defaults, nothing else."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
DEFAULT_KAFKA = "127.0.0.1:9092"
DEFAULT_DATABASE_URL = "postgresql://drehscheibe:drehscheibe@127.0.0.1:5432/drehscheibe"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True, slots=True)
class Address:
    """A host and a port."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def is_local(self) -> bool:
        """True when a server for this address can be started on this machine."""
        return self.host in LOCAL_HOSTS or self.host.startswith("127.")


@dataclass(frozen=True, slots=True)
class Database:
    """The parts of DATABASE_URL that initdb and CREATE DATABASE need."""

    url: str
    address: Address
    user: str
    password: str
    name: str

    def url_for(self, database: str) -> str:
        """The same server and credentials, another database."""
        return urlunsplit(urlsplit(self.url)._replace(path=f"/{quote(database)}"))


@dataclass(frozen=True, slots=True)
class StackConfig:
    """Everything the stack commands read from the environment."""

    stack_dir: Path
    kafka_bootstrap: str
    kafka: Address
    database: Database
    redis_url: str
    redis: Address

    @property
    def logs_dir(self) -> Path:
        return self.stack_dir / "logs"

    @property
    def run_dir(self) -> Path:
        return self.stack_dir / "run"


def parse_address(text: str, default_port: int) -> Address:
    """`host:port` (or `[v6]:port`) into an Address."""
    parts = urlsplit(f"//{text.strip()}")
    return Address(parts.hostname or "127.0.0.1", parts.port or default_port)


def parse_database(url: str) -> Database:
    """DATABASE_URL; a SQLAlchemy-style `postgresql+driver://` is accepted too."""
    scheme, sep, rest = url.partition("://")
    plain = f"{scheme.split('+')[0]}{sep}{rest}"
    parts = urlsplit(plain)
    return Database(
        url=plain,
        address=Address(parts.hostname or "127.0.0.1", parts.port or 5432),
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or ""),
        name=unquote(parts.path.lstrip("/")) or unquote(parts.username or "postgres"),
    )


def load_config(env: Mapping[str, str] = os.environ) -> StackConfig:
    """Read KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL, REDIS_URL and STACK_DIR."""
    bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS") or DEFAULT_KAFKA
    redis_url = env.get("REDIS_URL") or DEFAULT_REDIS_URL
    redis_parts = urlsplit(redis_url)
    stack_dir = Path(env.get("STACK_DIR") or REPO / ".local").expanduser().resolve()
    return StackConfig(
        stack_dir=stack_dir,
        kafka_bootstrap=bootstrap,
        kafka=parse_address(bootstrap.split(",")[0], 9092),
        database=parse_database(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        redis_url=redis_url,
        redis=Address(redis_parts.hostname or "127.0.0.1", redis_parts.port or 6379),
    )
