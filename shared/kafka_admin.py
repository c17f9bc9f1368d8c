"""Create the hub's Kafka topics (shared.topics.TOPICS) on a broker, idempotently."""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import for_code

from shared.topics import TOPICS, TopicSpec, qualified

TOPIC_ALREADY_EXISTS = 36
REPLICATION_FACTOR = 1


def new_topic(spec: TopicSpec, prefix: str = "") -> NewTopic:
    """The admin-API request for one declared topic."""
    return NewTopic(
        name=qualified(spec.name, prefix),
        num_partitions=spec.partitions,
        replication_factor=REPLICATION_FACTOR,
        topic_configs=spec.config(),
    )


async def ensure_topics(bootstrap_servers: str, prefix: str = "") -> list[str]:
    """Create every declared topic that the broker lacks; the names it created.

    Existing topics are left as they are (their partitions and config are not changed).
    Raises the broker's error (an aiokafka KafkaError) for anything but 'already exists'.
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            new_topic(s, prefix) for s in TOPICS if qualified(s.name, prefix) not in existing
        ]
        if not missing:
            return []
        response = await admin.create_topics(missing)
        created: list[str] = []
        for name, code, *rest in response.topic_errors:
            if code == 0:
                created.append(name)
            elif code != TOPIC_ALREADY_EXISTS:
                message = rest[0] if rest else ""
                raise for_code(code)(f"creating topic {name!r}: {message}")
        return created
    finally:
        await admin.close()
