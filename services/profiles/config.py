"""Settings of the profiles service (env prefix `PROFILES_`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import CommonSettings


class ProfilesSettings(CommonSettings):
    """The public API's settings."""

    model_config = SettingsConfigDict(env_prefix="PROFILES_", extra="ignore", populate_by_name=True)

    service_name: str = "profiles"
    http_host: str = Field("127.0.0.1", description="Interface the HTTP API binds to.")
    http_port: int = Field(8000, description="Port of the HTTP API.")
    outbox_poll_interval_s: float = Field(
        1.0, gt=0, description="Relay polling fallback when no NOTIFY arrives."
    )
    outbox_batch_size: int = Field(500, ge=1, description="Outbox rows published per round.")
