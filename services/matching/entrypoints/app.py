"""The matcher's process: Kafka consumers plus its health endpoints."""

from __future__ import annotations

from fastapi import FastAPI

from services.matching import bootstrap
from services.matching.config import MatchingSettings
from shared.app import service_app


def create_app(settings: MatchingSettings) -> FastAPI:
    """Health endpoints; the lifespan starts the consumers."""
    return service_app(settings, bootstrap.start, title="Drehscheibe matching", version="1")
