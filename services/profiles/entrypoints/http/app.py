"""The FastAPI application factory of the public API."""

from __future__ import annotations

from fastapi import FastAPI

from services.profiles import bootstrap
from services.profiles.config import ProfilesSettings
from services.profiles.entrypoints.http import problems, routes
from shared.app import service_app


def create_app(settings: ProfilesSettings) -> FastAPI:
    """Build the API; connections are made in the lifespan, not here."""
    app = service_app(
        settings,
        bootstrap.start,
        title="Drehscheibe API",
        version="1",
        summary="Staff releases, vacancies and qualification profiles for regional hubs.",
    )
    problems.install(app)
    app.include_router(routes.router)
    return app
