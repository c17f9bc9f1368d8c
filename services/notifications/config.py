"""Settings of the notification service (env prefix `NOTIFICATIONS_`)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import CommonSettings


class NotificationsSettings(CommonSettings):
    """Where webhooks go and how they are signed."""

    model_config = SettingsConfigDict(
        env_prefix="NOTIFICATIONS_", extra="ignore", populate_by_name=True
    )

    service_name: str = "notifications"
    http_host: str = Field("127.0.0.1", description="Interface of the health endpoints.")
    http_port: int = Field(8002, description="Port of the health endpoints.")
    webhook_url: str | None = Field(
        None, description="Operator webhook: receives every match found (trusted, not checked)."
    )
    webhook_secret: SecretStr = Field(
        SecretStr("dev-only-webhook-secret"),
        description="HMAC-SHA256 key of operator webhook signatures; set a real one in production.",
    )
    webhook_timeout_s: float = Field(5.0, gt=0, description="Timeout of one delivery attempt.")
    webhook_max_attempts: int = Field(5, ge=1, description="Attempts before a delivery is parked.")
    webhook_backoff_base_s: float = Field(
        0.5, gt=0, description="Backoff before the second attempt; doubles per attempt."
    )
    webhook_backoff_cap_s: float = Field(
        60.0, gt=0, description="Upper bound of the backoff between two attempts."
    )
    worker_poll_interval_s: float = Field(
        1.0, gt=0, description="How often the delivery worker looks for due rows without a NOTIFY."
    )
    worker_batch_size: int = Field(50, ge=1, description="Deliveries claimed per worker round.")
    worker_max_in_flight: int = Field(
        200, ge=1, description="Deliveries one process attempts at the same time, in total."
    )
    webhook_max_age_s: float = Field(
        86_400.0, gt=0, description="A delivery still failing this long after it began is parked."
    )
    endpoint_concurrency: int = Field(
        32, ge=1, description="Attempts in flight to one receiver (scheme, host, port) at once."
    )
    breaker_threshold: int = Field(
        5, ge=1, description="Consecutive failures of a receiver that open its circuit breaker."
    )
    breaker_cooldown_s: float = Field(
        10.0, gt=0, description="How long an open breaker waits before one trial attempt."
    )
    allow_insecure_localhost: bool = Field(
        False,
        description="Development only: allow subscription webhooks over plain http to loopback.",
    )
    admin_token: SecretStr | None = Field(
        None,
        description="Bearer token for POST /v1/deliveries/{id}/redrive; unset disables it.",
    )
    smtp_host: str = Field("127.0.0.1", description="SMTP server for the e-mail channel.")
    smtp_port: int = Field(25, ge=1, le=65535, description="Its port.")
    smtp_username: str | None = Field(None, description="SMTP login; none means no AUTH.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password.")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS.")
    smtp_sender: str = Field(
        "Drehscheibe <notifications@drehscheibe.invalid>", description="From address of e-mails."
    )
    digest_interval_s: float = Field(
        3600.0, gt=0, description="E-mail digests collect bulletins over windows this long."
    )
    outbox_poll_interval_s: float = Field(1.0, gt=0, description="Relay polling fallback.")
    outbox_batch_size: int = Field(500, ge=1, description="Outbox rows published per round.")
