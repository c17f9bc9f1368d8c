"""A subscribed consumer gets its batch on the event loop, with no thread-pool hop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import anyio.to_thread
import pytest
from faststream.kafka import KafkaBroker, KafkaRouter, TestKafkaBroker
from faststream.kafka.message import KafkaMessage

from shared.consuming import EventConsumer, subscribe


class Recorder:
    """Stands in for an EventConsumer: keeps what it is called with."""

    def __init__(self) -> None:
        self.messages: list[KafkaMessage] = []

    async def __call__(self, message: KafkaMessage) -> None:
        self.messages.append(message)


async def test_a_batch_reaches_its_consumer_without_a_thread_hop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hops: list[Callable[..., Any]] = []
    run_sync = anyio.to_thread.run_sync

    async def counting(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        hops.append(func)
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    recorder, router, broker = Recorder(), KafkaRouter(), KafkaBroker()
    consumer = cast("EventConsumer", recorder)
    subscribe(router, consumer, "t.in", group="g", title="test", description="a test consumer")
    broker.include_router(router)
    async with TestKafkaBroker(broker) as testing:
        await testing.publish(b'{"any": "bytes"}', "t.in", key=b"k")

    assert len(recorder.messages) == 1  # the batch itself arrived
    assert hops == []
