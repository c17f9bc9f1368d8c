"""What a list request asks for: filters and the page position."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PAGE = 100


@dataclass(frozen=True, slots=True)
class ListFilter:
    """Filters of a list request; `after` is the last position already seen."""

    districts: frozenset[str] | None = None
    occupation: str | None = None
    status: str | None = None
    after: int = 0
    limit: int = 50


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results and the position to continue after (None at the end)."""

    items: list[T]
    next_after: int | None
