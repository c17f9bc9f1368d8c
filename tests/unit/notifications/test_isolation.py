"""The circuit breaker and the per-endpoint limits, on a fake clock."""

from __future__ import annotations

from uuid import uuid4

from services.notifications.domain.isolation import CircuitBreaker, Endpoints, GoneSubscriptions


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_after_consecutive_failures_and_lets_one_trial_through() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, cooldown_s=10, clock=clock)
    for _ in range(2):
        breaker.record(healthy=False)
    assert breaker.try_start()
    breaker.record(healthy=False)
    assert breaker.is_open()
    assert not breaker.try_start()
    clock.now += 10
    assert breaker.try_start()  # the trial
    assert not breaker.try_start()  # only one at a time
    breaker.record(healthy=True)
    assert not breaker.is_open()
    assert breaker.try_start()


def test_a_failed_trial_opens_the_breaker_again() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, cooldown_s=5, clock=clock)
    breaker.record(healthy=False)
    clock.now += 5
    assert breaker.try_start()
    breaker.record(healthy=False)
    assert breaker.is_open()
    clock.now += 4
    assert not breaker.try_start()


def test_a_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker(threshold=2, cooldown_s=5, clock=Clock())
    breaker.record(healthy=False)
    breaker.record(healthy=True)
    breaker.record(healthy=False)
    assert not breaker.is_open()


async def test_saturated_and_broken_endpoints_are_blocked() -> None:
    clock = Clock()
    endpoints = Endpoints(limit=2, threshold=1, cooldown_s=5, clock=clock)
    for _ in range(2):
        endpoints.claimed("a")
    assert endpoints.rooms()["a"] > 0  # its slots are busy, but nothing waits for them
    endpoints.claimed("a")
    assert endpoints.rooms()["a"] == 0
    async with endpoints.slot("a") as breaker:
        breaker.record(healthy=False)
    for _ in range(2):
        async with endpoints.slot("a"):
            pass
    assert endpoints.rooms()["a"] == 0  # no claims left, but its breaker is open
    clock.now += 5
    assert endpoints.rooms()["a"] > 0


async def test_a_busy_endpoint_is_claimed_for_in_batches() -> None:
    endpoints = Endpoints(limit=4, threshold=3, cooldown_s=5)
    woken: list[str] = []
    endpoints.on_room(lambda: woken.append("room"))
    assert endpoints.rooms() == {}  # unknown: idle, the default room
    for _ in range(8):
        endpoints.claimed("a")
    assert endpoints.rooms() == {"a": 0}
    for left in range(7, 3, -1):
        async with endpoints.slot("a") as breaker:
            breaker.record(healthy=True)
        assert endpoints.rooms() == {"a": 0 if left > 4 else 4}
    assert woken == ["room"]  # once, when it could take a whole batch again


async def test_room_is_one_trial_after_the_cooldown() -> None:
    clock = Clock()
    endpoints = Endpoints(limit=8, threshold=1, cooldown_s=5, clock=clock)
    endpoints.claimed("a")
    endpoints.claimed("a")
    assert endpoints.rooms() == {"a": 14}
    async with endpoints.slot("a") as breaker:
        breaker.record(healthy=False)
    assert endpoints.rooms() == {"a": 0}  # cooling down: nothing new is claimed
    async with endpoints.slot("a"):
        pass
    clock.now += 5
    assert endpoints.rooms() == {"a": 1}  # half-open: exactly one trial
    endpoints.claimed("a")
    assert endpoints.rooms() == {"a": 0}
    async with endpoints.slot("a") as breaker:
        assert breaker.try_start()
        breaker.record(healthy=True)
    endpoints.claimed("a")
    assert endpoints.rooms() == {"a": 15}  # closed again


async def test_idle_healthy_endpoints_are_forgotten() -> None:
    endpoints = Endpoints(limit=1, threshold=3, cooldown_s=5)
    endpoints.claimed("a")
    async with endpoints.slot("a") as breaker:
        breaker.record(healthy=True)
    assert endpoints._all == {}


def test_a_gone_subscription_blocks_what_was_claimed_before_its_disable_committed() -> None:
    now = [100.0]
    gone = GoneSubscriptions(keep_s=10.0, clock=lambda: now[0])
    sub = uuid4()
    assert not gone.blocks(sub, claimed_at=99.0)
    gone.mark(sub)
    assert gone.blocks(sub, claimed_at=99.0)
    assert gone.blocks(sub, claimed_at=150.0)  # not committed yet: everything waits
    now[0] = 101.0
    gone.committed(sub)
    assert gone.blocks(sub, claimed_at=100.5)
    assert not gone.blocks(sub, claimed_at=101.5)  # claimed after the commit
    assert not gone.blocks(None, claimed_at=0.0)
    now[0] = 200.0
    gone.committed(uuid4())  # prunes old marks
    assert not gone.blocks(sub, claimed_at=100.5)
