"""What Kafka's offsets say: each consumer group's lag, and every record on a topic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.lag import group_lag


def service_of(group: str, prefix: str) -> str:
    """Which service a consumer group belongs to, from its name."""
    name = group.removeprefix(prefix)
    if name.startswith("matching"):
        return "matching"
    if name.startswith("notifications"):
        return "notifications"
    return "profiles"


@dataclass
class Offsets:
    """An admin client and a probe consumer for repeated lag readings."""

    bootstrap: str
    prefix: str
    _admin: AIOKafkaAdminClient | None = None
    _probe: AIOKafkaConsumer | None = None

    async def __aenter__(self) -> Offsets:
        self._admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        self._probe = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False)
        await self._admin.start()
        await self._probe.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._admin is not None
        assert self._probe is not None
        await self._probe.stop()
        await self._admin.close()

    async def groups(self) -> dict[str, tuple[str, ...]]:
        """This run's consumer groups and the topics each has committed offsets on."""
        assert self._admin is not None
        found: dict[str, tuple[str, ...]] = {}
        for group, *_ in await self._admin.list_consumer_groups():
            if group.startswith(self.prefix):
                committed = await self._admin.list_consumer_group_offsets(group)
                found[group] = tuple(sorted({tp.topic for tp in committed}))
        return found

    async def lag(self) -> dict[str, int]:
        """Records not yet committed, per consumer group."""
        assert self._admin is not None
        assert self._probe is not None
        await self._probe._client.force_metadata_update()
        out = {}
        for group, topics in (await self.groups()).items():
            out[group] = sum((await group_lag(self._admin, self._probe, group, topics)).values())
        return out

    async def end_offsets(self, topic: str) -> int:
        """Records on a topic so far (sum of the partitions' end offsets)."""
        assert self._probe is not None
        await self._probe._client.force_metadata_update()
        parts = [TopicPartition(topic, p) for p in self._probe.partitions_for_topic(topic) or ()]
        return sum((await self._probe.end_offsets(parts)).values()) if parts else 0


async def read_all(bootstrap: str, topic: str) -> list[ConsumerRecord[Any, Any]]:
    """Every record on `topic` now, from the beginning, without a consumer group."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(parts)
        ends = await consumer.end_offsets(parts)
        records: list[ConsumerRecord[Any, Any]] = []
        for tp in parts:
            if ends[tp] == 0:
                continue
            consumer.seek(tp, 0)
            while await consumer.position(tp) < ends[tp]:
                records += (await consumer.getmany(tp, timeout_ms=2000)).get(tp, [])
        return records
    finally:
        await consumer.stop()
