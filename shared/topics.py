"""The one declaration of every Kafka topic the hub uses (ARCHITECTURE §3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Cleanup(StrEnum):
    """Kafka `cleanup.policy` values the hub uses."""

    COMPACT = "compact"
    DELETE = "delete"


WEEK_MS = 7 * 24 * 60 * 60 * 1000


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """A topic: its name, what its key is, who writes it and how it is cleaned up."""

    name: str
    key: str
    writer: str
    cleanup: Cleanup
    partitions: int = 6
    retention_ms: int | None = None
    readers: tuple[str, ...] = ()
    description: str = ""
    extra_config: dict[str, str] = field(default_factory=dict)

    def config(self) -> dict[str, str]:
        """Topic-level configuration as Kafka expects it."""
        cfg = {"cleanup.policy": self.cleanup.value}
        if self.retention_ms is not None:
            cfg["retention.ms"] = str(self.retention_ms)
        cfg.update(self.extra_config)
        return cfg


VACANCIES = "hub.vacancies.v1"
PROFILES = "hub.profiles.v1"
STAFF_RELEASES = "hub.staff-releases.v1"
SUBSCRIPTIONS = "hub.subscriptions.v1"
BULLETINS = "hub.bulletins.v1"
TRAINING_OFFERS = "hub.training-offers.v1"
MATCHES = "hub.matches.v1"
NOTIFICATIONS = "hub.notifications.v1"
INBOX_VACANCIES = "hub.inbox.vacancies.v1"
INBOX_PROFILES = "hub.inbox.profiles.v1"
INBOX_BULLETINS = "hub.inbox.bulletins.v1"
DEADLETTER = "hub.deadletter.v1"

SERVICES = ("profiles", "matching", "notifications")
AGENCIES = "agencies"

TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(
        VACANCIES, "vacancy id", "profiles", Cleanup.COMPACT, readers=("matching",),
        description="Vacancies: opened, updated (full state), closed.",
    ),
    TopicSpec(
        PROFILES, "profile id", "profiles", Cleanup.COMPACT,
        readers=("matching", "notifications"),
        description="Pseudonymous qualification profiles; erasure is an event plus a tombstone.",
    ),
    TopicSpec(
        STAFF_RELEASES, "staff release id", "profiles", Cleanup.COMPACT,
        description="Staff releases announced by firms; their people are on the profiles topic.",
    ),
    TopicSpec(
        SUBSCRIPTIONS, "subscription id", "profiles", Cleanup.COMPACT,
        readers=("notifications",),
        description="Who wants which notifications; carries signing secrets (services only).",
    ),
    TopicSpec(
        TRAINING_OFFERS, "offer id", "profiles", Cleanup.COMPACT, readers=("matching",),
        description="The training catalogue: offers and the competences they teach.",
    ),
    TopicSpec(
        BULLETINS, "bulletin id", "profiles", Cleanup.DELETE, retention_ms=30 * WEEK_MS,
        readers=("notifications", AGENCIES),
        description="Updates from associations and agencies to hubs and firms.",
    ),
    TopicSpec(
        MATCHES, "vacancy_id:profile_id", "matching", Cleanup.COMPACT,
        readers=("profiles", "notifications", AGENCIES),
        description="Matches found, updated and retracted, each with its explanation.",
    ),
    TopicSpec(
        NOTIFICATIONS, "notification id", "notifications", Cleanup.DELETE,
        retention_ms=4 * WEEK_MS, readers=("profiles",),
        description="Delivery outcomes of notifications.",
    ),
    TopicSpec(
        INBOX_VACANCIES, "external id", AGENCIES, Cleanup.DELETE, retention_ms=WEEK_MS,
        readers=("profiles",), description="Vacancies posted by agencies, validated by profiles.",
    ),
    TopicSpec(
        INBOX_PROFILES, "external id", AGENCIES, Cleanup.DELETE, retention_ms=WEEK_MS,
        readers=("profiles",), description="Job-seeker profiles posted by agencies.",
    ),
    TopicSpec(
        INBOX_BULLETINS, "external id", AGENCIES, Cleanup.DELETE, retention_ms=WEEK_MS,
        readers=("profiles",), description="Bulletins posted by associations and agencies.",
    ),
    TopicSpec(
        DEADLETTER, "original key", "any consumer", Cleanup.DELETE, retention_ms=4 * WEEK_MS,
        description="Records no consumer could process, with the reason in dlq-* headers.",
    ),
)  # fmt: skip


def by_name(name: str) -> TopicSpec:
    """The declaration of one topic; KeyError for a topic the hub does not know."""
    for spec in TOPICS:
        if spec.name == name:
            return spec
    raise KeyError(name)


def qualified(name: str, prefix: str = "") -> str:
    """The topic's name on the broker: tests and parallel deployments set a prefix."""
    return f"{prefix}{name}"
