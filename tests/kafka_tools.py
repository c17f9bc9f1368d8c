"""Reading topics and consumer progress in tests, through plain aiokafka."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient


async def read_all(bootstrap: str, topic: str, *, timeout_ms: int = 1500) -> list[ConsumerRecord]:
    """Every record currently on `topic`, from the beginning (no consumer group)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            await consumer._client.force_metadata_update()
            partitions = [
                TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()
            ]
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[ConsumerRecord] = []
        for tp in partitions:
            if ends[tp] == 0:
                continue
            consumer.seek(tp, 0)
            while (await consumer.position(tp)) < ends[tp]:
                batch = await consumer.getmany(tp, timeout_ms=timeout_ms)
                records += batch.get(tp, [])
        return records
    finally:
        await consumer.stop()


async def caught_up(bootstrap: str, group: str, topics: list[str]) -> bool:
    """Whether consumer group `group` has committed every record now on `topics`."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        committed = await admin.list_consumer_group_offsets(group)
        partitions = []
        for topic in topics:
            await consumer._client.force_metadata_update()
            partitions += [
                TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()
            ]
        ends = await consumer.end_offsets(partitions)
        return all(
            end == 0 or (tp in committed and committed[tp].offset >= end)
            for tp, end in ends.items()
        )
    finally:
        await consumer.stop()
        await admin.close()
