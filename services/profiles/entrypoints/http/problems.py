"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import structlog
from asyncpg.exceptions import (
    CharacterNotInRepertoireError,
    InternalClientError,
    OperatorInterventionError,
    PostgresConnectionError,
    UntranslatableCharacterError,
)
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from starlette.exceptions import HTTPException

from services.profiles.domain import errors

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://drehscheibe.example/problems/"


def problem(status: int, title: str, detail: str, kind: str, **extra: Any) -> JSONResponse:
    """A problem-details response."""
    body = {"type": f"{TYPE_BASE}{kind}", "title": title, "status": status, "detail": detail}
    return JSONResponse({**body, **extra}, status_code=status, media_type=PROBLEM_JSON)


class ProblemError(Exception):
    """Raised by entrypoints to answer with a problem; `headers` go on the response."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        kind: str,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.kind = status, title, detail, kind
        self.headers, self.extra = dict(headers or {}), extra


def _field(loc: tuple[int | str, ...]) -> str:
    # ("body", "competences", 0, "min_level") -> "competences[0].min_level"
    out = ""
    for part in loc[1:] if loc and loc[0] in ("body", "query", "header", "path") else loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(body)"


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if any(e["type"] == "json_invalid" for e in exc.errors()):
        return problem(400, "Malformed JSON", "the body is not valid JSON", "malformed")
    body = invalid_fields(exc.errors())
    return JSONResponse(body, status_code=422, media_type=PROBLEM_JSON)


# Domain errors that map to one status each: (status, title, problem kind).
_SIMPLE: dict[type[Exception], tuple[int, str, str]] = {
    errors.NotFoundError: (404, "Not found", "not-found"),
    errors.ForbiddenError: (403, "Forbidden", "forbidden"),
    errors.StateConflictError: (409, "Conflict", "state-conflict"),
    errors.IdempotencyConflictError: (409, "Idempotency-Key reused", "idempotency-conflict"),
    errors.VersionMismatchError: (412, "Precondition failed", "version-mismatch"),
    errors.PreconditionRequiredError: (428, "Precondition required", "if-match-required"),
}
# PostgreSQL text and jsonb cannot hold U+0000; such input would otherwise surface
# as a 500 from wherever it first reaches SQL (a filter, a body field, a header).
_UNSTORABLE = (CharacterNotInRepertoireError, UntranslatableCharacterError)
_NUL = "text must not contain the NUL character (U+0000)"
# The database or Redis is unreachable, restarting or shutting down: the client may
# retry (a write whose commit was cut off is safe to repeat with its Idempotency-Key).
# OSError covers refused and reset connections and timeouts. InternalClientError is
# asyncpg's "another operation is in progress" on a pooled connection that the
# server terminated (a PostgreSQL restart) before the client noticed; the pool's
# reset on release then discards that connection.
_UNAVAILABLE = (
    PostgresConnectionError,
    InternalClientError,
    OperatorInterventionError,
    OSError,
    RedisConnectionError,
    RedisTimeoutError,
)
RETRY_AFTER_S = 5


def _body(status: int, title: str, detail: str, kind: str, **extra: Any) -> dict[str, Any]:
    body = {"type": f"{TYPE_BASE}{kind}", "title": title, "status": status, "detail": detail}
    return {**body, **extra}


def describe(exc: Exception) -> dict[str, Any] | None:
    """The problem-details body of a refused request's error; None for any other error."""
    if isinstance(exc, errors.UnknownReferenceError):
        found = [{"field": exc.field, "message": str(exc), "value": exc.value}]
        return _body(422, "Unknown reference", f"{exc.field}: {exc}", "unknown-reference",
                     errors=found)  # fmt: skip
    if isinstance(exc, errors.ContactDataError):
        found = [{"field": exc.field, "message": str(exc)}]
        return _body(422, "Contact data refused", str(exc), "contact-data", errors=found)
    if isinstance(exc, _UNSTORABLE):
        return _body(422, "Invalid request", _NUL, "validation")
    for cls, (status, title, kind) in _SIMPLE.items():
        if isinstance(exc, cls):
            return _body(status, title, str(exc), kind)
    return None


def invalid_fields(found: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The 422 body for pydantic validation errors (`loc`, `msg` each)."""
    errors_ = [{"field": _field(tuple(e["loc"])), "message": e["msg"]} for e in found]
    fields = ", ".join(e["field"] for e in errors_)
    detail = f"invalid field(s): {fields}"
    return _body(422, "Invalid request", detail, "validation", errors=errors_)


async def _described(_: Request, exc: Exception) -> JSONResponse:
    body = describe(exc)
    if body is None:
        raise exc
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_JSON)


async def _problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    response = problem(exc.status, exc.title, exc.detail, exc.kind, **exc.extra)
    response.headers.update(exc.headers)
    return response


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    response = problem(exc.status_code, str(exc.detail), str(exc.detail), f"http-{exc.status_code}")
    response.headers.update(exc.headers or {})
    return response


async def _unavailable(_: Request, exc: Exception) -> JSONResponse:
    structlog.get_logger("profiles").warning(
        "storage unavailable; answered 503", error=type(exc).__name__, reason=str(exc)[:200]
    )
    detail = "storage briefly unavailable; retry, with the same Idempotency-Key for a write"
    response = problem(503, "Service unavailable", detail, "unavailable")
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def install(app: FastAPI) -> None:
    """Register the problem-details handlers."""
    app.add_exception_handler(RequestValidationError, _validation)
    for cls in (errors.UnknownReferenceError, errors.ContactDataError, *_SIMPLE, *_UNSTORABLE):
        app.add_exception_handler(cls, _described)
    app.add_exception_handler(ProblemError, _problem)
    app.add_exception_handler(HTTPException, _http)
    for cls in _UNAVAILABLE:
        app.add_exception_handler(cls, _unavailable)
