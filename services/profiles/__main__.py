"""`python -m services.profiles`: the public HTTP API."""

from __future__ import annotations

from services.profiles.config import ProfilesSettings
from services.profiles.entrypoints.http.app import create_app
from shared.app import serve


def main() -> None:
    """Serve the API on the configured address."""
    settings = ProfilesSettings()
    serve(create_app, settings, host=settings.http_host, port=settings.http_port)


if __name__ == "__main__":
    main()
