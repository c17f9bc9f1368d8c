"""The FastStream Kafka broker every service uses: idempotent producer, acks=all."""

from __future__ import annotations

import logging
import ssl

from faststream.kafka import KafkaBroker
from faststream.security import BaseSecurity, SASLScram512

from shared.settings import KafkaSettings


def security(kafka: KafkaSettings) -> BaseSecurity | None:
    """SASL/SCRAM-SHA-512 (over TLS when asked) for a named principal; None for plaintext."""
    if kafka.sasl_username is None:
        return None
    password = kafka.sasl_password.get_secret_value() if kafka.sasl_password else ""
    context = ssl.create_default_context() if kafka.use_tls else None
    return SASLScram512(kafka.sasl_username, password, ssl_context=context, use_ssl=kafka.use_tls)


def create_broker(kafka: KafkaSettings, *, logger: logging.Logger | None = None) -> KafkaBroker:
    """A broker whose producer never duplicates or reorders within a partition."""
    return KafkaBroker(
        kafka.bootstrap_servers,
        client_id=kafka.client_id,
        security=security(kafka),
        acks="all",
        enable_idempotence=True,
        # Topics come only from shared.topics; a typo must fail, not create a topic.
        allow_auto_create_topics=False,
        linger_ms=2,
        # Per-message "Received"/"Processed" lines are debug detail, not operations news.
        log_level=logging.DEBUG,
        # FastStream stays silent with logger=None; route its logs through ours.
        logger=logger or logging.getLogger(f"{kafka.client_id}.kafka"),
    )
