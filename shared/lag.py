"""Consumer lag, measured from the outside: the records on each topic that a group has
not committed yet. Reported as a gauge by every service that consumes."""

from __future__ import annotations

import asyncio

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.metrics import Metrics


async def group_lag(
    admin: AIOKafkaAdminClient, probe: AIOKafkaConsumer, group: str, topics: tuple[str, ...]
) -> dict[str, int]:
    """Lag per topic of one consumer group."""
    committed = await admin.list_consumer_group_offsets(group)
    partitions = [
        TopicPartition(topic, p)
        for topic in topics
        for p in probe.partitions_for_topic(topic) or ()
    ]
    ends = await probe.end_offsets(partitions) if partitions else {}
    lag: dict[str, int] = dict.fromkeys(topics, 0)
    for tp, end in ends.items():
        done = committed[tp].offset if tp in committed and committed[tp].offset >= 0 else 0
        lag[tp.topic] += max(end - done, 0)
    return lag


async def report_lag(bootstrap: str, metrics: Metrics, *, interval_s: float = 10.0) -> None:
    """Update the lag gauge of every tracked group until cancelled."""
    log = structlog.get_logger("lag")
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        try:
            await admin.start()
            await probe.start()
            while True:
                await probe._client.force_metadata_update()
                for group, topics in sorted(metrics.subscriptions):
                    for topic, lag in (await group_lag(admin, probe, group, topics)).items():
                        metrics.consumer_lag.labels(group, topic).set(lag)
                await asyncio.sleep(interval_s)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("consumer lag not measured; retrying", exc_info=True)
            await asyncio.sleep(interval_s)
        finally:
            await probe.stop()
            await admin.close()
