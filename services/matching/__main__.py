"""`python -m services.matching`: the matching stream processor."""

from __future__ import annotations

from services.matching.config import MatchingSettings
from services.matching.entrypoints.app import create_app
from shared.app import serve


def main() -> None:
    """Consume, match, publish; serve health on the configured address."""
    settings = MatchingSettings()
    serve(create_app, settings, host=settings.http_host, port=settings.http_port)


if __name__ == "__main__":
    main()
