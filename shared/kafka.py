"""The FastStream Kafka broker every service uses: idempotent producer, acks=all."""

from __future__ import annotations

import logging

from faststream.kafka import KafkaBroker

from shared.settings import KafkaSettings


def create_broker(kafka: KafkaSettings, *, logger: logging.Logger | None = None) -> KafkaBroker:
    """A broker whose producer never duplicates or reorders within a partition."""
    return KafkaBroker(
        kafka.bootstrap_servers,
        client_id=kafka.client_id,
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
