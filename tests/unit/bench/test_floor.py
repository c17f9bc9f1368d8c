"""The floor benchmark measures real events: what it encodes is what consumers accept."""

from __future__ import annotations

from bench.floor_bench import codec, match_event
from shared.events import MatchFoundV1
from shared.events.registry import decode


def test_the_measured_event_is_a_valid_match_event_of_the_usual_size() -> None:
    value = match_event()
    _, payload = decode(value, [MatchFoundV1])
    assert isinstance(payload, MatchFoundV1)
    assert len(payload.components) == 5
    # About the size of the matcher's events in the end-to-end benchmark (1.5 KB).
    assert 1000 < len(value) < 2500


def test_the_codec_step_costs_something_on_both_sides() -> None:
    encoded, decoded = codec(50, match_event())
    assert encoded.client_us > 0
    assert decoded.client_us > 0
    assert encoded.server_us == decoded.server_us == 0
