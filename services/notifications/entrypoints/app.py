"""The notification service's process: Kafka consumer, delivery worker, health endpoints."""

from __future__ import annotations

from fastapi import FastAPI

from services.notifications import bootstrap
from services.notifications.config import NotificationsSettings
from shared.app import service_app


def create_app(settings: NotificationsSettings) -> FastAPI:
    """The notification service as an ASGI app; nothing starts until its lifespan does."""
    return service_app(
        settings,
        bootstrap.start,
        title="Drehscheibe notifications",
        version="1",
        summary="Signed webhook delivery of match events.",
    )
