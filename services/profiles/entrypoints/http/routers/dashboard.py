"""The regional hub's dashboard: the page and its assets (public), and its data (a hub's key).

The page carries no data and no key: it signs in with the hub's API key, keeps it in
sessionStorage and sends it as a Bearer token to GET /v1/dashboard. Every asset is
served from here; the Content-Security-Policy forbids anything from elsewhere.
"""

from __future__ import annotations

import functools
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from services.profiles.adapters.idempotency import StoredResponse
from services.profiles.domain.errors import NotFoundError
from services.profiles.entrypoints.http.dependencies import Caller, ContainerDep
from services.profiles.entrypoints.http.responses import problems, respond
from services.profiles.entrypoints.http.schemas.dashboard import DashboardOut
from services.profiles.service_layer import dashboard
from services.profiles.service_layer.transactions import transact
from services.profiles.service_layer.unit_of_work import ProfilesUnitOfWork as Uow

router = APIRouter(tags=["dashboard"])
_FILES = Path(__file__).resolve().parents[1] / "dashboard"
_ASSETS = {
    "dashboard.css": "text/css; charset=utf-8",
    "dashboard.js": "text/javascript; charset=utf-8",
}
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
        " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


@functools.cache
def _read(name: str) -> bytes:
    return (_FILES / name).read_bytes()


@router.get("/dashboard", include_in_schema=False)
async def page() -> Response:
    """The dashboard page (German; no data until a hub signs in)."""
    return Response(_read("index.html"), media_type="text/html; charset=utf-8", headers=_HEADERS)


@router.get("/dashboard/{asset}", include_in_schema=False)
async def asset(asset: str) -> Response:
    """The page's stylesheet and script; nothing else is served from here."""
    if asset not in _ASSETS:
        raise NotFoundError("dashboard asset", asset)
    return Response(_read(asset), media_type=_ASSETS[asset], headers=_HEADERS)


@router.get(
    "/v1/dashboard",
    response_model=DashboardOut,
    responses=problems(403),
    summary="A regional hub's dashboard data",
)
async def data(caller: Caller, c: ContainerDep) -> JSONResponse:
    """The hub's region drawn from postal-code centres, live postings by district, the
    latest matches with their explanation, those that need training, and the delivery
    health of the hub's subscriptions. Hubs only (403 for other kinds)."""

    async def work(uow: Uow) -> StoredResponse:
        overview = await dashboard.overview(uow, caller)
        return StoredResponse(200, DashboardOut.of(overview).model_dump(mode="json"))

    return respond(await transact(c.uow, work))
