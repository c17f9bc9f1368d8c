"""The demo world as data: `demo_world.json` read, its aliases resolved, ready to post.

The file names competences and occupations once (`@alias` elsewhere) so that the
postings stay readable; `{receiver}` stands for the demo webhook receiver's URL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

WORLD_FILE = Path(__file__).with_name("demo_world.json")
Outcome = Literal["direct", "requires_training", "none"]


@dataclass(frozen=True, slots=True)
class Organisation:
    """A demo organisation: its role in the file, kind, name and regions."""

    role: str
    kind: str
    name: str
    regions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Posting:
    """One POST of the demo: a stable key, the posting role and the body."""

    key: str
    by: str
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Expectation:
    """A pair whose outcome the demo promises: direct, requires_training or none."""

    vacancy: str
    profile: str
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class World:
    """Everything the demo posts, in posting order, and what should come of it."""

    organisations: tuple[Organisation, ...]
    training_offers: tuple[Posting, ...]
    staff_releases: tuple[Posting, ...]
    profiles: tuple[Posting, ...]
    vacancies: tuple[Posting, ...]
    subscriptions: tuple[Posting, ...]
    expect: tuple[Expectation, ...]

    def hubs(self) -> list[Organisation]:
        """The regional hubs of the demo."""
        return [o for o in self.organisations if o.kind == "hub"]


def _resolve(value: Any, aliases: dict[str, str], receiver: str | None) -> Any:
    if isinstance(value, dict):
        return {k: _resolve(v, aliases, receiver) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, aliases, receiver) for v in value]
    if isinstance(value, str) and value.startswith("@"):
        return aliases[value[1:]]  # a KeyError names an alias the file forgot to define
    if value == "{receiver}":
        return receiver
    return value


def _postings(raw: dict[str, Any], section: str, aliases: dict[str, str]) -> tuple[Posting, ...]:
    return tuple(
        Posting(item["key"], item["by"], _resolve(item["body"], aliases, None))
        for item in raw.get(section, [])
    )


def load_world(path: Path = WORLD_FILE, *, receiver: str | None = None) -> World:
    """Read the world file; subscriptions are kept only when a receiver URL is given."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    aliases = {**raw["occupations"], **raw["competences"]}
    subscriptions = tuple(
        Posting(item["key"], item["by"], _resolve(item["body"], aliases, receiver))
        for item in raw.get("subscriptions", [])
        if receiver is not None
    )
    return World(
        organisations=tuple(
            Organisation(role, o["kind"], o["name"], tuple(o.get("regions", ())))
            for role, o in raw["organisations"].items()
        ),
        training_offers=_postings(raw, "training_offers", aliases),
        staff_releases=_postings(raw, "staff_releases", aliases),
        profiles=_postings(raw, "profiles", aliases),
        vacancies=_postings(raw, "vacancies", aliases),
        subscriptions=subscriptions,
        expect=tuple(Expectation(**e) for e in raw.get("expect", [])),
    )
