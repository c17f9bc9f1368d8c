"""The lag probe against the real broker: end offsets, commits, and metadata of its own topics."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import OffsetAndMetadata

from shared.lag import LagProbe, lag_by_topic
from shared.topics import MATCHES, VACANCIES, qualified
from tests.stack import StackUrls

pytestmark = pytest.mark.integration


@pytest.fixture
async def probe(stack: StackUrls) -> AsyncIterator[tuple[LagProbe, AIOKafkaConsumer]]:
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.kafka)
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.kafka, enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        yield LagProbe(admin, consumer), consumer
    finally:
        await consumer.stop()
        await admin.close()


async def test_lag_counts_records_past_the_groups_commit(
    stack: StackUrls, topic_prefix: str, probe: tuple[LagProbe, AIOKafkaConsumer]
) -> None:
    lags, _ = probe
    topic = qualified(VACANCIES, topic_prefix)
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka)
    await producer.start()
    try:
        for _ in range(5):
            await producer.send_and_wait(topic, b"{}", key=b"same key", partition=0)
    finally:
        await producer.stop()
    group = f"{topic_prefix}lag-{uuid.uuid4().hex[:6]}"
    committer = AIOKafkaConsumer(bootstrap_servers=stack.kafka, group_id=group)
    await committer.start()
    try:
        committer.assign([TopicPartition(topic, 0)])
        await committer.commit({TopicPartition(topic, 0): OffsetAndMetadata(3, "")})
    finally:
        await committer.stop()

    ends = await lags.end_offsets([topic])
    assert ends[TopicPartition(topic, 0)] == 5
    assert lag_by_topic(await lags.committed(group), ends, [topic]) == {topic: 2}


async def test_the_probe_asks_the_broker_only_about_its_own_topics(
    topic_prefix: str, probe: tuple[LagProbe, AIOKafkaConsumer]
) -> None:
    lags, consumer = probe
    mine = [qualified(VACANCIES, topic_prefix), qualified(MATCHES, topic_prefix)]
    await lags.end_offsets(mine)
    # A consumer without a subscription would otherwise fetch the whole cluster's metadata.
    assert consumer._client._topics == set(mine)
    assert set(consumer._client.cluster.topics()) == set(mine)
