"""What happens to a delivery after one attempt: delivered, retried later, or parked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """The result of one HTTP attempt; `error` says why it failed."""

    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the receiver answered 2xx."""
        return self.error is None


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


Transition = Delivered | Retry | Parked


def decide(
    previous_attempts: int,
    result: AttemptResult,
    *,
    max_attempts: int,
    backoff: Callable[[int], float],
) -> Transition:
    """The delivery's next state after one more attempt with `result`."""
    attempts = previous_attempts + 1
    if result.error is None:
        return Delivered(attempts)
    if attempts >= max_attempts:
        return Parked(attempts, result.error)
    return Retry(attempts, backoff(attempts), result.error)
