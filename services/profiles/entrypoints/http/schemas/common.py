"""Building blocks of the request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.profiles.domain.model import Consent, ConsentScope
from shared.events import Evidence, HeldCompetence, Importance, RequiredCompetence
from shared.events.common import CompetenceId, Level

# Real catalogue ids: Chemie- und Pharmatechnologe/-technologin (Chemikant), good
# manufacturing practices, chemical processes.
CHEMIKANT = "http://data.europa.eu/esco/occupation/5b3ef95b-7d99-4af9-b2d0-41c6bc33f58c"
GMP = "http://data.europa.eu/esco/skill/13f22eb5-e3a8-405a-9d89-c8124d4a239a"
PLANT = "http://data.europa.eu/esco/skill/74aa00bc-db99-4984-8817-7df2ca954ea1"


class Body(BaseModel):
    """A request body: unknown fields are refused, a misspelt field must not vanish."""

    model_config = ConfigDict(extra="forbid")


def examples(*items: dict[str, Any]) -> ConfigDict:
    """A model configuration that forbids unknown fields and shows examples."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(items)})


class RequiredCompetenceIn(Body):
    """A competence the vacancy requires."""

    competence_id: CompetenceId
    min_level: Level
    importance: Importance = Field(Importance.MUST, description="must / should / nice.")

    def value(self) -> RequiredCompetence:
        """As the domain and the events hold it."""
        return RequiredCompetence(**self.model_dump())


class HeldCompetenceIn(Body):
    """A competence the person holds."""

    competence_id: CompetenceId
    level: Level
    evidence: Evidence = Field(Evidence.SELF_ASSESSED, description="What the level rests on.")

    def value(self) -> HeldCompetence:
        """As the domain and the events hold it."""
        return HeldCompetence(**self.model_dump())


class ConsentIn(Body):
    """The person's consent: when it was given and what it covers."""

    given_at: datetime = Field(description="When the person consented (with time zone).")
    scope: ConsentScope = Field(
        description="matching: matching and the hubs of the region; "
        "matching_and_agencies: also shared with the agencies of the region."
    )

    def value(self) -> Consent:
        """As the domain holds it."""
        return Consent(self.given_at, self.scope)


class ConsentOut(BaseModel):
    """The recorded consent (shown to the profile's owner only)."""

    given_at: datetime
    scope: ConsentScope


class Created(BaseModel):
    """Id and version of something new."""

    id: UUID = Field(description="Id of the new resource.")
    version: int = Field(description="Its version; starts at 1.")
