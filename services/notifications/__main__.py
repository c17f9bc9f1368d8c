"""Run the notification service: `python -m services.notifications`."""

from __future__ import annotations

import uvicorn

from services.notifications.config import NotificationsSettings
from services.notifications.entrypoints.app import create_app
from shared.logging import configure_logging


def main() -> None:
    """Read the settings from the environment and serve until interrupted."""
    settings = NotificationsSettings()
    configure_logging(
        service=settings.service_name, level=settings.log_level, fmt=settings.log_format
    )
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,  # keep the structlog handlers configure_logging installed
        lifespan="on",
    )


if __name__ == "__main__":
    main()
