"""One row per fault, as a markdown table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    """One line of the result table."""

    fault: str
    outage_s: float  # fault injected → repaired (process ready, server answering)
    recovery_s: float  # repair → first webhook of a posting made after the repair
    settle_s: float  # load stopped → all caught up and delivered
    acknowledged: int  # in this phase
    failed: int  # postings not acknowledged in this phase (refused while a part was down)
    not_problem_details: int  # error answers in this phase that were not RFC 9457 documents
    lost: int
    matches_differ: int
    missing_notifications: int
    distinct_ids_per_notification_violations: int
    repeated_deliveries: int  # same delivery id received again (at-least-once)
    ok: bool


def format_row(r: Row) -> str:
    """One markdown table line."""
    cells = [
        r.fault, f"{r.outage_s:.1f}", f"{r.recovery_s:.1f}", f"{r.settle_s:.1f}", r.acknowledged,
        f"{r.failed} ({r.not_problem_details} not problem+json)", r.lost,
        r.matches_differ, r.missing_notifications,
        f"{r.repeated_deliveries} ({r.distinct_ids_per_notification_violations} with a second id)",
        "ok" if r.ok else "FAILED",
    ]  # fmt: skip
    return "| " + " | ".join(map(str, cells)) + " |"


COLUMNS = [
    "fault", "outage s", "recovery s", "settle s", "writes acknowledged", "refused", "lost",
    "matches differing", "notifications missing", "repeated deliveries", "verdict",
]  # fmt: skip
HEADER = "| " + " | ".join(COLUMNS) + " |\n" + "|---" * len(COLUMNS) + "|"
