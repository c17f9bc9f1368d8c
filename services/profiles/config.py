"""Settings of the profiles service (env prefix `PROFILES_`)."""

from __future__ import annotations

from pydantic import Field, SecretStr
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
    outbox_start_delay_s: float = Field(
        0.0,
        ge=0,
        description="Tests only: seconds the outbox relay waits after start-up before publishing.",
    )
    api_key_pepper: SecretStr = Field(
        SecretStr("dev-only-api-key-pepper"),
        description="Server-side HMAC key for API-key digests; set your own outside development.",
    )
    max_body_bytes: int = Field(
        256 * 1024, ge=1024, description="Largest request body accepted; larger ones get 413."
    )
    rate_limit_requests: int = Field(
        1200, ge=1, description="Requests one API key may make per rate-limit window."
    )
    rate_limit_window_s: int = Field(60, ge=1, description="Length of the rate-limit window.")
    rate_limit_timeout_s: float = Field(
        0.25,
        gt=0,
        description="How long a rate-limit check may wait for Redis before failing open.",
    )
    inbox_signing_key: SecretStr = Field(
        SecretStr("dev-only-inbox-signing-key"),
        description="Server-side key the inbox signing secrets are derived from; set your own"
        " outside development (changing it invalidates every inbox secret).",
    )
    inbox_max_record_bytes: int = Field(
        256 * 1024,
        ge=1024,
        description="Largest inbox record accepted; larger ones are dead-lettered.",
    )
    allow_insecure_webhooks: bool = Field(
        False,
        description="Development only: accept subscription webhooks over plain http to loopback.",
    )
