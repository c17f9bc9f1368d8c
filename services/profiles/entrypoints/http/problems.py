"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from services.profiles.domain.errors import UnknownReferenceError

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://drehscheibe.example/problems/"


def problem(status: int, title: str, detail: str, kind: str, **extra: Any) -> JSONResponse:
    """A problem-details response."""
    body = {"type": f"{TYPE_BASE}{kind}", "title": title, "status": status, "detail": detail}
    return JSONResponse({**body, **extra}, status_code=status, media_type=PROBLEM_JSON)


def _field(loc: tuple[int | str, ...]) -> str:
    # ("body", "competences", 0, "min_level") -> "competences[0].min_level"
    out = ""
    for part in loc[1:] if loc and loc[0] == "body" else loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(body)"


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": _field(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    fields = ", ".join(e["field"] for e in errors)
    return problem(
        422, "Invalid request", f"invalid field(s): {fields}", "validation", errors=errors
    )


async def _unknown_reference(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UnknownReferenceError)
    errors = [{"field": exc.field, "message": str(exc), "value": exc.value}]
    return problem(
        422, "Unknown reference", f"{exc.field}: {exc}", "unknown-reference", errors=errors
    )


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    response = problem(exc.status_code, str(exc.detail), str(exc.detail), f"http-{exc.status_code}")
    response.headers.update(exc.headers or {})
    return response


def install(app: FastAPI) -> None:
    """Register the problem-details handlers."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(UnknownReferenceError, _unknown_reference)
    app.add_exception_handler(HTTPException, _http)
