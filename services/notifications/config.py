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
        None, description="Receiver of match notifications; none means nothing is sent."
    )
    webhook_secret: SecretStr = Field(
        SecretStr("dev-only-webhook-secret"),
        description="HMAC-SHA256 key for webhook signatures; set a real one outside development.",
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
