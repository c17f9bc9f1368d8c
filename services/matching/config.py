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
    weight_competence: float = Field(0.6, ge=0, description="Weight of competence fit.")
    weight_region: float = Field(0.2, ge=0, description="Weight of the region component.")
    weight_dqr: float = Field(0.08, ge=0, description="Weight of the DQR level fit.")
    weight_availability: float = Field(0.06, ge=0, description="Weight of the availability date.")
    weight_working_time: float = Field(0.06, ge=0, description="Weight of working-time fit.")
    top_k_per_vacancy: int = Field(50, ge=1, description="Most matches a vacancy carries.")
    top_k_per_profile: int = Field(20, ge=1, description="Most matches a profile carries.")
    related_credit: float = Field(
        0.5, ge=0, le=1, description="Most credit a related competence earns for a requirement."
    )
    bridging_credit: float = Field(
        0.2, ge=0, le=1, description="Credit for a missing requirement that an offer teaches."
    )
    reject_unknown_competences: bool = Field(
        True, description="Dead-letter postings with competences the catalogue does not know."
    )
    load_page_size: int = Field(
        5000, ge=1, description="Rows read per query when loading the state at start-up."
    )
    outbox_poll_interval_s: float = Field(1.0, gt=0, description="Relay polling fallback.")
    outbox_batch_size: int = Field(500, ge=1, description="Outbox rows published per round.")
