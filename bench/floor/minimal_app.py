"""The least an HTTP API can do for a posting: parse and validate a JSON body, answer 201.

Served by uvicorn exactly as the profiles service is (uvloop, httptools), without
authentication, database or outbox: `bench/floor_bench.py` measures its CPU per request.
"""

from __future__ import annotations

from uuid import UUID, uuid4

from fastapi import FastAPI, status
from pydantic import BaseModel, Field


class Requirement(BaseModel):
    """One required competence, as a vacancy posts it."""

    competence_id: str
    min_level: int = Field(ge=1, le=5)
    importance: str


class Posting(BaseModel):
    """A vacancy's shape, about the size of the ones the hub receives."""

    title: str
    occupation: str
    postcode: str
    radius_km: int = Field(ge=0, le=500)
    dqr_level: int | None = None
    requirements: list[Requirement]


class Created(BaseModel):
    """The answer: the new resource's id."""

    id: UUID


app = FastAPI()


@app.post("/v1/vacancies", status_code=status.HTTP_201_CREATED)
async def create(body: Posting) -> Created:
    """Validate and answer; nothing is stored."""
    return Created(id=uuid4())
