"""Settings of the matching service (env prefix `MATCHING_`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import CommonSettings


class MatchingSettings(CommonSettings):
    """The matcher's settings: weights and thresholds have documented defaults."""

    model_config = SettingsConfigDict(env_prefix="MATCHING_", extra="ignore", populate_by_name=True)

    service_name: str = "matching"
    http_host: str = Field("127.0.0.1", description="Interface of the health endpoints.")
    http_port: int = Field(8001, description="Port of the health endpoints.")
    min_score: float = Field(0.3, ge=0, le=1, description="Pairs scoring below are no match.")
    weight_competence: float = Field(0.7, ge=0, description="Weight of competence fit.")
    weight_region: float = Field(0.3, ge=0, description="Weight of the region component.")
    outbox_poll_interval_s: float = Field(1.0, gt=0, description="Relay polling fallback.")
    outbox_batch_size: int = Field(500, ge=1, description="Outbox rows published per round.")
