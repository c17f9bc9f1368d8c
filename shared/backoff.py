"""The pause between restarts of a long-running loop (outbox relay, delivery worker)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Doubling pauses up to `cap`, back to `first` once the loop has worked again.

    Without the reset, an outage early in a process's life would make every later
    one wait the longest pause before the loop even tried again.
    """

    first: float = 0.5
    cap: float = 10.0
    _next: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self._next = self.first

    def next_pause(self) -> float:
        """How long to wait before this restart; the one after waits twice as long."""
        pause, self._next = self._next, min(self._next * 2, self.cap)
        return pause

    def recovered(self) -> None:
        """The loop got going again: the next failure starts with the first pause."""
        self._next = self.first
