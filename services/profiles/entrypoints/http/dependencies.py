"""What routes depend on: the container, the caller, and the HTTP precondition headers."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from services.profiles.adapters.idempotency import Claim
from services.profiles.bootstrap import Container
from services.profiles.domain.access import Principal
from services.profiles.domain.queries import MAX_PAGE, ListFilter
from services.profiles.entrypoints.http.problems import ProblemError

_BEARER = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer dzk_…`.")
_CHALLENGE = 'Bearer realm="drehscheibe"'
_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


# Dependencies are coroutines even where they do no I/O: FastAPI runs a plain
# function in its thread pool, which costs more than the function itself.
async def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(_container)]


def _unauthenticated(detail: str, error: str | None = None) -> ProblemError:
    challenge = f'{_CHALLENGE}, error="{error}"' if error else _CHALLENGE
    return ProblemError(
        401, "Unauthenticated", detail, "unauthenticated", {"WWW-Authenticate": challenge}
    )


async def _caller(
    container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
) -> Principal:
    if credentials is None:
        raise _unauthenticated("send an API key as `Authorization: Bearer <key>`")
    principal = await container.authenticate(credentials.credentials)
    if principal is None:
        raise _unauthenticated("the API key is unknown or revoked", "invalid_token")
    verdict = await container.limiter.check(principal.key_id)
    if not verdict.allowed:
        raise ProblemError(
            429, "Too many requests", "the rate limit of this API key is exhausted",
            "rate-limited", {"Retry-After": str(verdict.retry_after_s)},
        )  # fmt: skip
    return principal


Caller = Annotated[Principal, Depends(_caller)]


async def if_match(
    value: Annotated[
        str | None,
        Header(alias="If-Match", description="The ETag (version) the change is based on."),
    ] = None,
) -> int | None:
    """The version named by If-Match; a value naming no version can never match."""
    if value is None:
        return None
    found = _ETAG.match(value)
    return int(found.group(1)) if found else -1


IfMatch = Annotated[int | None, Depends(if_match)]


def etag(version: int) -> str:
    """The ETag of an aggregate version."""
    return f'"{version}"'


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Retries with the same key and body get the first answer again.",
    ),
]


def claim(caller: Principal, key: str | None, request: Request, body: BaseModel) -> Claim | None:
    """The idempotency claim of a POST: organisation, key, and a hash of the request."""
    if key is None:
        return None
    return claim_of(caller, key, f"{request.method} {request.url.path}", body)


def claim_of(caller: Principal, key: str, operation: str, body: BaseModel) -> Claim:
    """The claim of `operation` ("POST /v1/vacancies"), the same for single and batch posts."""
    digest = hashlib.sha256(f"{operation}\n".encode())
    digest.update(body.model_dump_json().encode())
    return Claim(caller.organisation_id, key, digest.digest())


def encode_cursor(after: int | None) -> str | None:
    """An opaque cursor for the position after which the next page starts."""
    return None if after is None else base64.urlsafe_b64encode(f"v1:{after}".encode()).decode()


def _decode_cursor(cursor: str) -> int:
    try:
        version, position = base64.urlsafe_b64decode(cursor.encode()).decode().split(":")
        if version == "v1" and position.isdigit():
            return int(position)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ProblemError(
        400, "Invalid cursor", "cursor: not a cursor this API issued", "invalid-cursor",
        errors=[{"field": "cursor", "message": "not a cursor this API issued"}],
    )  # fmt: skip


async def list_filter(
    container: ContainerDep,
    region: Annotated[
        str | None, Query(description="Region id: postings in its districts.")
    ] = None,
    occupation: Annotated[
        str | None, Query(description="ESCO occupation URI or KldB code.")
    ] = None,
    status: Annotated[str | None, Query(description="Status, e.g. open or active.")] = None,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = 50,
) -> ListFilter:
    """Filters and page position of a list request."""
    districts = None
    if region is not None:
        if region not in container.reference.regions:
            raise ProblemError(
                422, "Unknown reference", f"region: unknown region {region!r}",
                "unknown-reference",
                errors=[{"field": "region", "message": "unknown region", "value": region}],
            )  # fmt: skip
        districts = container.reference.regions.districts_of([region])
    after = _decode_cursor(cursor) if cursor is not None else 0
    return ListFilter(districts, occupation, status, after, limit)


Filters = Annotated[ListFilter, Depends(list_filter)]
PathId = Annotated[UUID, "resource id"]
