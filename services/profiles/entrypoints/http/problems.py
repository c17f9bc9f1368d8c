"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asyncpg.exceptions import CharacterNotInRepertoireError, UntranslatableCharacterError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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
    errors_ = [{"field": _field(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    fields = ", ".join(e["field"] for e in errors_)
    return problem(
        422, "Invalid request", f"invalid field(s): {fields}", "validation", errors=errors_
    )


async def _unknown_reference(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.UnknownReferenceError)
    errors_ = [{"field": exc.field, "message": str(exc), "value": exc.value}]
    return problem(
        422, "Unknown reference", f"{exc.field}: {exc}", "unknown-reference", errors=errors_
    )


async def _contact_data(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.ContactDataError)
    errors_ = [{"field": exc.field, "message": str(exc)}]
    return problem(422, "Contact data refused", str(exc), "contact-data", errors=errors_)


# Domain errors that map to one status each: (status, title, problem kind).
_SIMPLE: dict[type[Exception], tuple[int, str, str]] = {
    errors.NotFoundError: (404, "Not found", "not-found"),
    errors.ForbiddenError: (403, "Forbidden", "forbidden"),
    errors.StateConflictError: (409, "Conflict", "state-conflict"),
    errors.IdempotencyConflictError: (409, "Idempotency-Key reused", "idempotency-conflict"),
    errors.VersionMismatchError: (412, "Precondition failed", "version-mismatch"),
    errors.PreconditionRequiredError: (428, "Precondition required", "if-match-required"),
}


async def _simple(_: Request, exc: Exception) -> JSONResponse:
    for cls, (status, title, kind) in _SIMPLE.items():
        if isinstance(exc, cls):
            return problem(status, title, str(exc), kind)
    raise exc


async def _unstorable_text(_: Request, __: Exception) -> JSONResponse:
    # PostgreSQL text and jsonb cannot hold U+0000; such input would otherwise surface
    # as a 500 from wherever it first reaches SQL (a filter, a body field, a header).
    message = "text must not contain the NUL character (U+0000)"
    return problem(422, "Invalid request", message, "validation")


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


def install(app: FastAPI) -> None:
    """Register the problem-details handlers."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(errors.UnknownReferenceError, _unknown_reference)
    app.add_exception_handler(errors.ContactDataError, _contact_data)
    for cls in _SIMPLE:
        app.add_exception_handler(cls, _simple)
    app.add_exception_handler(ProblemError, _problem)
    for db_error in (CharacterNotInRepertoireError, UntranslatableCharacterError):
        app.add_exception_handler(db_error, _unstorable_text)
    app.add_exception_handler(HTTPException, _http)
