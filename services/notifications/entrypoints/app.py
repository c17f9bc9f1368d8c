"""The notification service's process: consumers, delivery workers, health and re-drive."""

from __future__ import annotations

from fastapi import FastAPI

from services.notifications import bootstrap
from services.notifications.config import NotificationsSettings
from services.notifications.entrypoints import http
from shared.app import service_app


def create_app(settings: NotificationsSettings) -> FastAPI:
    """The notification service as an ASGI app; nothing starts until its lifespan does."""
    app = service_app(
        settings,
        bootstrap.start,
        title="Drehscheibe notifications",
        version="1",
        summary="Signed webhook and e-mail delivery of matches and bulletins.",
    )
    http.install(app)
    return app
