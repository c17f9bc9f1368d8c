"""What happens to a delivery after one attempt: delivered, retried, parked or disabled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

GONE_ERROR = "410 Gone: subscription disabled"
# The other pending deliveries of a subscription disabled by a 410.
GONE_PARK_ERROR = "subscription disabled after 410 Gone"


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """The result of one attempt; `error` says why it failed."""

    error: str | None = None
    # The receiver said 410 Gone: it never wants deliveries again.
    gone: bool = False
    # The receiver answered in time without a server error: the breaker counts it healthy.
    healthy: bool = True

    @property
    def ok(self) -> bool:
        """True when the receiver accepted the delivery."""
        return self.error is None and not self.gone


@dataclass(frozen=True, slots=True)
class Delivered:
    """The receiver accepted the delivery."""

    attempts: int


@dataclass(frozen=True, slots=True)
class Retry:
    """The attempt failed; try again after `delay_s`."""

    attempts: int
    delay_s: float
    error: str


@dataclass(frozen=True, slots=True)
class Parked:
    """The last allowed attempt failed; keep the delivery visible, stop trying."""

    attempts: int
    error: str


@dataclass(frozen=True, slots=True)
class Disabled:
    """The receiver answered 410 Gone: park this delivery and disable its subscription."""

    attempts: int
    error: str = GONE_ERROR


Transition = Delivered | Retry | Parked | Disabled


def decide(
    previous_attempts: int,
    result: AttemptResult,
    *,
    max_attempts: int,
    backoff: Callable[[int], float],
    attempts_before_redrive: int = 0,
    age_s: float = 0.0,
    max_age_s: float | None = None,
) -> Transition:
    """The delivery's next state after one more attempt with `result`.

    Attempts count on across re-drives (they version the published outcome), but
    a re-driven delivery gets a fresh budget of `max_attempts` and of age.
    """
    attempts = previous_attempts + 1
    if result.gone:
        return Disabled(attempts)
    if result.error is None:
        return Delivered(attempts)
    if attempts - attempts_before_redrive >= max_attempts:
        return Parked(attempts, result.error)
    delay = backoff(attempts - attempts_before_redrive)
    if max_age_s is not None and age_s + delay > max_age_s:
        return Parked(attempts, f"{result.error} (maximum age reached)")
    return Retry(attempts, delay, result.error)
