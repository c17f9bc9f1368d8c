"""Bodies of /v1/batch/{kind}: many creations in one request, each with its own key."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from services.profiles.entrypoints.http.schemas.common import Body, examples
from services.profiles.entrypoints.http.schemas.vacancies import VACANCY_EXAMPLE

MAX_ITEMS = 1000


class BatchKind(StrEnum):
    """What a batch creates; each item is the body of the matching single POST."""

    VACANCIES = "vacancies"
    PROFILES = "profiles"
    TRAINING_OFFERS = "training-offers"


class BatchItemIn(Body):
    """One item: its Idempotency-Key and the body the single POST would take."""

    key: str = Field(
        min_length=1,
        max_length=255,
        description="Idempotency-Key of this item: a retry with the same key and body "
        "is answered from the first result instead of being stored again.",
    )
    body: dict[str, Any] = Field(description="The item, exactly as `POST /v1/{kind}` takes it.")


class BatchIn(Body):
    """Up to 1000 items, applied in order in one transaction."""

    model_config = examples({"items": [{"key": "import-3f1c…-row-1", "body": VACANCY_EXAMPLE}]})

    items: list[BatchItemIn] = Field(min_length=1, max_length=MAX_ITEMS)


class ItemResult(BaseModel):
    """How one item ended."""

    index: int = Field(description="Position of the item in the request, from 0.")
    key: str = Field(description="The item's Idempotency-Key.")
    status: int = Field(description="201 stored (or stored earlier: `replayed`), else a 4xx.")
    id: UUID | None = Field(None, description="Id of the stored resource.")
    replayed: bool = Field(False, description="Stored by an earlier request with this key.")
    problem: dict[str, Any] | None = Field(
        None, description="RFC 9457 problem details of a refused item, with `errors`."
    )


class BatchOut(BaseModel):
    """One result per item, in request order, and the totals."""

    results: list[ItemResult]
    stored: int = Field(description="Items stored by this request.")
    replayed: int = Field(description="Items stored earlier under the same key.")
    rejected: int = Field(description="Items refused; see their `problem`.")
