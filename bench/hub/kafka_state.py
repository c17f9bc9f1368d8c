"""What Kafka's offsets say: each consumer group's lag, and every record on a topic."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.lag import LagProbe, lag_by_topic


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
    # How long a listing of this run's groups is reused by `lag` (0: listed each time).
    # Listing every group of the cluster and the offsets of each once a second cost
    # the load generator more CPU than the rest of a reading; a run whose groups are
    # all there (the end-to-end steps) reuses it, one that waits for groups to come
    # back (a fault run) does not.
    groups_ttl_s: float = 0.0
    _admin: AIOKafkaAdminClient | None = None
    _probe: AIOKafkaConsumer | None = None
    _groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _groups_listed: float = -math.inf

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

    def _lag_probe(self) -> LagProbe:
        assert self._admin is not None
        assert self._probe is not None
        return LagProbe(self._admin, self._probe)

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
        now = time.monotonic()
        # A listing without groups, or with a group that has not committed yet, is
        # not kept: the run is still starting.
        complete = bool(self._groups) and all(self._groups.values())
        if not complete or now - self._groups_listed >= self.groups_ttl_s:
            self._groups, self._groups_listed = await self.groups(), now
        probe = self._lag_probe()
        ends = await probe.end_offsets(t for topics in self._groups.values() for t in topics)
        return {
            group: sum(lag_by_topic(await probe.committed(group), ends, topics).values())
            for group, topics in self._groups.items()
        }

    async def end_offsets(self, topic: str) -> int:
        """Records on a topic so far (sum of the partitions' end offsets)."""
        return sum((await self._lag_probe().end_offsets([topic])).values())


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
