"""Settings every service shares, read only from environment variables.

The infrastructure addresses use the plain names that the local stack, the tests
and docker-compose agree on (`KAFKA_BOOTSTRAP_SERVERS`, `DATABASE_URL`,
`REDIS_URL`); service-specific settings carry the service's prefix.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.topics import qualified

DEFAULT_KAFKA = "127.0.0.1:9092"
DEFAULT_DATABASE_URL = "postgresql://drehscheibe:drehscheibe@127.0.0.1:5432/drehscheibe"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


class KafkaSettings(BaseModel):
    """Where the broker is and how this service talks to it."""

    bootstrap_servers: str
    topic_prefix: str
    client_id: str
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    use_tls: bool = False

    def topic(self, name: str) -> str:
        """The broker-side name of a topic from `shared.topics`."""
        return qualified(name, self.topic_prefix)

    def group(self, name: str) -> str:
        """A consumer group id, namespaced like the topics so test runs never share one."""
        return f"{self.topic_prefix}{name}"


class CommonSettings(BaseSettings):
    """Infrastructure and logging settings; each service subclasses this."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    service_name: str = "drehscheibe"
    kafka_bootstrap_servers: str = Field(
        DEFAULT_KAFKA, validation_alias="KAFKA_BOOTSTRAP_SERVERS", description="Kafka brokers."
    )
    kafka_sasl_username: str | None = Field(
        None,
        validation_alias="KAFKA_SASL_USERNAME",
        description="SCRAM-SHA-512 principal; unset means an unauthenticated listener.",
    )
    kafka_sasl_password: SecretStr | None = Field(
        None, validation_alias="KAFKA_SASL_PASSWORD", description="Password of that principal."
    )
    kafka_use_tls: bool = Field(
        False, validation_alias="KAFKA_USE_TLS", description="Encrypt with TLS (SASL_SSL)."
    )
    kafka_topic_prefix: str = Field(
        "",
        validation_alias="KAFKA_TOPIC_PREFIX",
        description="Prefix for every topic and consumer group (isolates test runs).",
    )
    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        validation_alias="DATABASE_URL",
        description="PostgreSQL; each service uses its own schema in this database.",
    )
    database_pool_max: int = Field(
        10, validation_alias="DATABASE_POOL_MAX", ge=1, description="Connections per process."
    )
    redis_url: str = Field(DEFAULT_REDIS_URL, validation_alias="REDIS_URL", description="Redis.")
    log_format: Literal["auto", "json", "console"] = Field(
        "auto",
        validation_alias="LOG_FORMAT",
        description="json, console, or auto (console on a terminal, JSON otherwise).",
    )
    kafka_start_timeout_s: float = Field(
        30.0,
        gt=0,
        validation_alias="KAFKA_START_TIMEOUT_S",
        description="How long Kafka producers and consumers may take to start.",
    )
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL", description="Lowest level logged.")

    @property
    def kafka(self) -> KafkaSettings:
        """The Kafka block, as the broker factory and the consumers need it."""
        return KafkaSettings(
            bootstrap_servers=self.kafka_bootstrap_servers,
            topic_prefix=self.kafka_topic_prefix,
            client_id=self.service_name,
            sasl_username=self.kafka_sasl_username,
            sasl_password=self.kafka_sasl_password,
            use_tls=self.kafka_use_tls,
        )
