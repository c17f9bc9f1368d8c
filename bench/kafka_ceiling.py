"""The raw ceiling of this machine's broker: aiokafka producing and consuming records of a
given size through the same broker, with no processing. The end-to-end benchmark
divides the hub's throughput by this.

    .venv/bin/python bench/kafka_ceiling.py [--messages 50000] [--size 1200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic


@dataclass(frozen=True, slots=True)
class Ceiling:
    """Records per second one producer and one consumer reach."""

    messages: int
    size: int
    produce_per_s: float
    consume_per_s: float


async def _topic(bootstrap: str, partitions: int) -> str:
    name = f"bench.ceiling.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, 1)])
    finally:
        await admin.close()
    return name


async def _drop(bootstrap: str, topic: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics([topic])
    finally:
        await admin.close()


async def _produce(bootstrap: str, topic: str, messages: int, size: int) -> float:
    # The hub's producer settings: idempotent, acks=all, a short linger.
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=2
    )
    await producer.start()
    value = os.urandom(size)
    try:
        began = time.perf_counter()
        pending = [
            await producer.send(topic, value, key=str(i % 1000).encode()) for i in range(messages)
        ]
        await asyncio.gather(*pending)
        return messages / (time.perf_counter() - began)
    finally:
        await producer.stop()


def reader(bootstrap: str, topic: str) -> AIOKafkaConsumer:
    """A consumer of `topic` from its first record, in a group of its own."""
    return AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
        group_id=f"bench-{uuid.uuid4().hex[:6]}", enable_auto_commit=False,
    )  # fmt: skip


async def read(consumer: AIOKafkaConsumer, messages: int, *, batch: int = 5000) -> int:
    """Records a started consumer reads, `batch` at most per poll, until `messages` have
    come or two minutes have passed; how many came."""
    seen, deadline = 0, time.monotonic() + 120
    while seen < messages and time.monotonic() < deadline:
        batches = await consumer.getmany(timeout_ms=500, max_records=batch)
        seen += sum(len(records) for records in batches.values())
    return seen


async def _consume(bootstrap: str, topic: str, messages: int) -> float:
    consumer = reader(bootstrap, topic)
    await consumer.start()
    try:
        began = time.perf_counter()
        seen = await read(consumer, messages)
        return seen / (time.perf_counter() - began)
    finally:
        await consumer.stop()


async def measure(bootstrap: str, *, messages: int, size: int, partitions: int = 6) -> Ceiling:
    """Produce then consume `messages` records of `size` bytes on a fresh topic."""
    topic = await _topic(bootstrap, partitions)
    try:
        produced = await _produce(bootstrap, topic, messages, size)
        consumed = await _consume(bootstrap, topic, messages)
    finally:
        await _drop(bootstrap, topic)
    return Ceiling(messages, size, produced, consumed)


def main() -> None:
    """Print the ceiling for the configured broker."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--size", type=int, default=1200)
    args = parser.parse_args()
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    result = asyncio.run(measure(bootstrap, messages=args.messages, size=args.size))
    print(f"raw Kafka ceiling ({result.messages} records of {result.size} B, one client each)")
    print(f"  produce: {result.produce_per_s:>10,.0f} records/s")
    print(f"  consume: {result.consume_per_s:>10,.0f} records/s")


if __name__ == "__main__":
    main()
