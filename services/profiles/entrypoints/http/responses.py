"""Shaping answers: stored responses to HTTP, list pages, and the documented problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.profiles.adapters.idempotency import StoredResponse
from services.profiles.entrypoints.http.dependencies import encode_cursor, etag
from services.profiles.entrypoints.http.problems import PROBLEM_JSON, TYPE_BASE


class FieldError(BaseModel):
    """One offending field."""

    field: str = Field(description="Path of the field, e.g. competences[0].min_level.")
    message: str
    value: str | None = Field(None, description="The offending value, where it helps.")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


_MEANING = {
    400: "Malformed JSON or an invalid cursor",
    401: "No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`)",
    403: "The organisation may not do this",
    404: "No such resource, or one the organisation may not see",
    409: "The resource's state forbids the change, or an Idempotency-Key was reused",
    412: "If-Match names another version than the current one",
    413: "The body exceeds the limit (PROFILES_MAX_BODY_BYTES, 256 KiB by default)",
    422: "A field is invalid or names unknown reference data",
    428: "The change needs an If-Match header",
    429: "The API key's rate limit is exhausted; see Retry-After",
}


_KIND = {
    400: ("malformed", "Malformed JSON", "the body is not valid JSON"),
    401: ("unauthenticated", "Unauthenticated", "the API key is unknown or revoked"),
    403: ("forbidden", "Forbidden", "a hub may not create vacancies"),
    404: ("not-found", "Not found", "vacancy 0b6f1a52-3c1e-4d5e-9f3a-2b1c0d9e8f7a not found"),
    409: ("state-conflict", "Conflict", "the vacancy is filled"),
    412: ("version-mismatch", "Precondition failed",
          "If-Match names version 1; the current version is 2"),
    413: ("too-large", "Request body too large", "the body exceeds 262144 bytes"),
    422: ("unknown-reference", "Unknown reference", "postcode: unknown postal code '00000'"),
    428: ("if-match-required", "Precondition required",
          "this change needs an If-Match header with the version (ETag) it edits"),
    429: ("rate-limited", "Too many requests", "the rate limit of this API key is exhausted"),
}  # fmt: skip


def _example(status: int) -> dict[str, Any]:
    kind, title, detail = _KIND[status]
    example: dict[str, Any] = {"type": f"{TYPE_BASE}{kind}", "title": title, "status": status}
    example["detail"] = detail
    if status == 422:
        example["errors"] = [
            {"field": "postcode", "message": "unknown postal code '00000'", "value": "00000"}
        ]
    return example


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    # Inlined (no $ref into components), so each problem response is documented as
    # application/problem+json, the media type it is really sent with.
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {k: inline(v) for k, v in node.items()}
        return [inline(v) for v in node] if isinstance(node, list) else node

    result: dict[str, Any] = inline(schema)
    return result


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries, with examples, for the problems an operation can answer."""
    # Any request may be malformed or invalid, unauthenticated, too large or limited;
    # 422 here also replaces FastAPI's own validation-error entry, whose shape we never send.
    base = (400, 401, 413, 422, 429)
    schema = _schema(Problem)
    return {
        status: {
            "description": _MEANING[status],
            "content": {PROBLEM_JSON: {"schema": schema, "example": _example(status)}},
        }
        for status in sorted({*base, *statuses})
    }


def representation(status: int, model: BaseModel, location: str | None = None) -> StoredResponse:
    """A resource's representation as an answer (unset fields left out)."""
    return StoredResponse(status, model.model_dump(mode="json", exclude_none=True), location)


def page(items: Sequence[BaseModel], next_after: int | None) -> StoredResponse:
    """One page of a list."""
    body = {
        "items": [i.model_dump(mode="json", exclude_none=True) for i in items],
        "next_cursor": encode_cursor(next_after),
    }
    return StoredResponse(200, body)


def respond(stored: StoredResponse) -> JSONResponse:
    """The HTTP answer: Location for new resources, ETag for single ones."""
    headers = {}
    if stored.location:
        headers["Location"] = stored.location
    if isinstance(stored.body.get("version"), int):
        headers["ETag"] = etag(stored.body["version"])
    return JSONResponse(stored.body, status_code=stored.status, headers=headers)
