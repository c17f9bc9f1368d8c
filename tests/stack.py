"""Where the tests find the real Kafka, PostgreSQL and Redis.

The environment variables the services use win; without them the local stack's
defaults apply, and where a Docker engine exists and nothing answers there,
testcontainers starts the three servers instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from shared.settings import DEFAULT_DATABASE_URL, DEFAULT_KAFKA, DEFAULT_REDIS_URL


@dataclass(frozen=True, slots=True)
class StackUrls:
    """Addresses of the three servers."""

    kafka: str
    database_url: str
    redis_url: str

    def env(self) -> dict[str, str]:
        """As the services read them."""
        return {
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
        }


def _docker_engine_available() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "info"], capture_output=True, check=False, timeout=20)
    return probe.returncode == 0


@contextmanager
def _containers() -> Iterator[StackUrls]:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.postgres import PostgresContainer
    from testcontainers.redis import RedisContainer

    with ExitStack() as stack:
        kafka = stack.enter_context(KafkaContainer("apache/kafka:4.1.1").with_kraft())
        pg = stack.enter_context(PostgresContainer("postgres:16", driver=None))
        redis = stack.enter_context(RedisContainer("redis:7"))
        yield StackUrls(
            kafka=kafka.get_bootstrap_server(),
            database_url=pg.get_connection_url(),
            redis_url=f"redis://{redis.get_container_host_ip()}:{redis.get_exposed_port(6379)}/0",
        )


@contextmanager
def stack_urls() -> Iterator[StackUrls]:
    """The configured servers, or containers when nothing is configured and Docker exists."""
    configured = any(
        name in os.environ for name in ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "REDIS_URL")
    )
    if not configured and _docker_engine_available():
        with _containers() as urls:
            yield urls
        return
    yield StackUrls(
        kafka=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA),
        database_url=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        redis_url=os.environ.get("REDIS_URL", DEFAULT_REDIS_URL),
    )
