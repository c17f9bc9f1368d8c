"""Consumer lag, measured from the outside: the records on each topic that a group has
not committed yet. Reported as a gauge by every service that consumes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import OffsetAndMetadata

from shared.metrics import Metrics


class LagProbe:
    """Reads end offsets of a fixed set of topics and committed offsets of groups.

    Its metadata covers only those topics: a consumer without a subscription asks the
    broker for every topic of the cluster, which on a shared cluster of a few hundred
    topics costs ~10 ms of CPU to decode each time (0.5 ms for a dozen).
    """

    def __init__(self, admin: AIOKafkaAdminClient, probe: AIOKafkaConsumer) -> None:
        self._admin, self._probe = admin, probe

    async def end_offsets(self, topics: Iterable[str]) -> dict[TopicPartition, int]:
        """The end offset of every partition of these topics, in one request per broker."""
        wanted = sorted(set(topics))
        if not wanted:
            return {}
        client = self._probe._client
        if set(wanted) <= client._topics:
            await client.force_metadata_update()  # current leaders for the same topics
        else:
            await client.set_topics(wanted)  # itself refreshes for the new topics
        partitions = [
            TopicPartition(topic, p)
            for topic in wanted
            for p in self._probe.partitions_for_topic(topic) or ()
        ]
        return await self._probe.end_offsets(partitions) if partitions else {}

    async def committed(self, group: str) -> Mapping[TopicPartition, OffsetAndMetadata]:
        """The offsets a group has committed."""
        committed: Mapping[TopicPartition, OffsetAndMetadata]
        committed = await self._admin.list_consumer_group_offsets(group)
        return committed


def lag_by_topic(
    committed: Mapping[TopicPartition, OffsetAndMetadata],
    ends: Mapping[TopicPartition, int],
    topics: Iterable[str],
) -> dict[str, int]:
    """Records on each of `topics` past what the group committed (all of them if nothing)."""
    lag: dict[str, int] = dict.fromkeys(topics, 0)
    for tp, end in ends.items():
        if tp.topic not in lag:
            continue
        done = committed[tp].offset if tp in committed and committed[tp].offset >= 0 else 0
        lag[tp.topic] += max(end - done, 0)
    return lag


async def report_lag(bootstrap: str, metrics: Metrics, *, interval_s: float = 10.0) -> None:
    """Update the lag gauge of every tracked group until cancelled."""
    log = structlog.get_logger("lag")
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        try:
            await admin.start()
            await consumer.start()
            probe = LagProbe(admin, consumer)
            while True:
                tracked = sorted(metrics.subscriptions)
                ends = await probe.end_offsets(t for _, topics in tracked for t in topics)
                for group, topics in tracked:
                    lag = lag_by_topic(await probe.committed(group), ends, topics)
                    for topic, n in lag.items():
                        metrics.consumer_lag.labels(group, topic).set(n)
                await asyncio.sleep(interval_s)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("consumer lag not measured; retrying", exc_info=True)
            await asyncio.sleep(interval_s)
        finally:
            await consumer.stop()
            await admin.close()
