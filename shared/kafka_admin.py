"""Create the hub's Kafka topics (shared.topics.TOPICS) on a broker, idempotently."""

from __future__ import annotations

import asyncio
from typing import Any

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
        created = _created(response)
        await _await_visible(admin, {t.name for t in missing})
        return created
    finally:
        await admin.close()


async def _await_visible(
    admin: AIOKafkaAdminClient, names: set[str], timeout_s: float = 30
) -> None:
    # A created topic shows up in metadata a moment later; callers (services that
    # subscribe right away, tests) must not see it missing.
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not names <= set(await admin.list_topics()):
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"topics not visible after {timeout_s} s: {sorted(names)}")
        await asyncio.sleep(0.1)


def _created(response: Any) -> list[str]:
    created: list[str] = []
    for name, code, *rest in response.topic_errors:
        if code == 0:
            created.append(name)
        elif code != TOPIC_ALREADY_EXISTS:
            message = rest[0] if rest else ""
            raise for_code(code)(f"creating topic {name!r}: {message}")
    return created


async def delete_topics(bootstrap_servers: str, prefix: str) -> list[str]:
    """Delete every topic whose name starts with `prefix` (test clean-up); the names deleted."""
    if not prefix:
        raise ValueError("refusing to delete topics without a prefix")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        doomed = [t for t in await admin.list_topics() if t.startswith(prefix)]
        if doomed:
            await admin.delete_topics(doomed)
        return doomed
    finally:
        await admin.close()


def main() -> None:
    """`python -m shared.kafka_admin`: create the hub's topics on the configured broker."""
    import asyncio

    from shared.settings import CommonSettings

    settings = CommonSettings()
    created = asyncio.run(
        ensure_topics(settings.kafka_bootstrap_servers, settings.kafka_topic_prefix)
    )
    print(f"topics created: {', '.join(created) or 'none (all exist)'}")


if __name__ == "__main__":
    main()
