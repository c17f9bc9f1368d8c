"""`python -m services.profiles.admin`: organisations and API keys (see --help)."""

from __future__ import annotations

from services.profiles.entrypoints.cli import app

if __name__ == "__main__":
    app()
