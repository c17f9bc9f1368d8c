"""Lag per topic from committed and end offsets."""

from __future__ import annotations

from aiokafka import TopicPartition
from aiokafka.structs import OffsetAndMetadata

from shared.lag import lag_by_topic

A0, A1, B0 = TopicPartition("a", 0), TopicPartition("a", 1), TopicPartition("b", 0)


def test_lag_is_what_lies_past_the_commit_per_topic() -> None:
    committed = {A0: OffsetAndMetadata(7, ""), A1: OffsetAndMetadata(2, "")}
    assert lag_by_topic(committed, {A0: 10, A1: 2, B0: 5}, ["a", "b"]) == {"a": 3, "b": 5}


def test_a_partition_without_a_commit_counts_from_the_start() -> None:
    assert lag_by_topic({A0: OffsetAndMetadata(-1, "")}, {A0: 4, A1: 6}, ["a"]) == {"a": 10}


def test_only_the_asked_topics_count_and_lag_is_never_negative() -> None:
    committed = {A0: OffsetAndMetadata(9, "")}  # committed past an end read a moment earlier
    assert lag_by_topic(committed, {A0: 8, B0: 5}, ["a"]) == {"a": 0}
    assert lag_by_topic({}, {}, ["a", "b"]) == {"a": 0, "b": 0}
