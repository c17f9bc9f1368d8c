"""`python -m services.notifications`: the notification service."""

from __future__ import annotations

from services.notifications.config import NotificationsSettings
from services.notifications.entrypoints.app import create_app
from shared.app import serve


def main() -> None:
    """Read the settings from the environment and serve until interrupted."""
    settings = NotificationsSettings()
    serve(create_app, settings, host=settings.http_host, port=settings.http_port)


if __name__ == "__main__":
    main()
