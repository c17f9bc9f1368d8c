"""The FastAPI application factory of the public API."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware import Middleware

from services.profiles import bootstrap
from services.profiles.config import ProfilesSettings
from services.profiles.entrypoints.http import problems
from services.profiles.entrypoints.http.middleware import BodyLimitMiddleware
from services.profiles.entrypoints.http.routers import (
    batches,
    bulletins,
    dashboard,
    deliveries,
    matches,
    profiles,
    staff_releases,
    subscriptions,
    training_offers,
    vacancies,
)
from shared.app import service_app

DESCRIPTION = """
The hub's public API. Every `/v1` request carries an API key
(`Authorization: Bearer <key>`); what each kind of organisation may do is in
docs/access.md. Errors are RFC 9457 problem details. Single resources carry an
`ETag` (their version); changes need `If-Match`. Every POST honours an
`Idempotency-Key`.
"""


def create_app(settings: ProfilesSettings) -> FastAPI:
    """Build the API; connections are made in the lifespan, not here."""
    app = service_app(
        settings,
        bootstrap.start,
        title="Drehscheibe API",
        version="1",
        summary="Postings, matches, training offers and bulletins for regional hubs.",
        description=DESCRIPTION,
        middleware=[Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)],
    )
    problems.install(app)
    for module in (vacancies, staff_releases, profiles, matches, training_offers):
        app.include_router(module.router)
    for module in (subscriptions, deliveries, bulletins, batches, dashboard):
        app.include_router(module.router)
    return app
