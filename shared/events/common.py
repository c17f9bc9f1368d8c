"""Value objects that several event payloads share."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Postcode = Annotated[
    str, StringConstraints(pattern=r"^[0-9]{5}$"), Field(description="German postal code.")
]
CompetenceId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=300),
    Field(description="ESCO skill URI or a code of the hub's competence catalogue."),
]
OccupationId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=300),
    Field(description="ESCO occupation URI or KldB 2010 code."),
]
Level = Annotated[int, Field(ge=1, le=5, description="1 basic knowledge … 5 can teach it.")]
RadiusKm = Annotated[
    int, Field(ge=0, le=1000, description="How far from the postal code the person or job may be.")
]


DqrLevel = Annotated[
    int, Field(ge=1, le=8, description="Level of the German Qualifications Framework (DQR).")
]
DistrictCode = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{5}$"),
    Field(description="Official 5-digit key of a district (Landkreis or kreisfreie Stadt)."),
]


class OrganisationKind(StrEnum):
    """The kinds of organisation that use the hub; what each may do is in docs/access.md."""

    FIRM = "firm"
    HUB = "hub"
    AGENCY = "agency"
    ASSOCIATION = "association"
    TRAINING_PROVIDER = "training_provider"
    ADMIN = "admin"


class WorkingTime(StrEnum):
    """Working time offered by a vacancy or wanted by a person."""

    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    ANY = "any"


class Importance(StrEnum):
    """How much a required competence matters to a vacancy."""

    MUST = "must"
    SHOULD = "should"
    NICE = "nice"


class Evidence(StrEnum):
    """What a competence level on a profile rests on."""

    SELF_ASSESSED = "self_assessed"
    EMPLOYER_ATTESTED = "employer_attested"
    CERTIFIED = "certified"
    MEASURED = "measured"


class _Value(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class RequiredCompetence(_Value):
    """A competence a vacancy asks for."""

    competence_id: CompetenceId
    min_level: Level
    importance: Importance = Field(Importance.MUST, description="must / should / nice.")


class HeldCompetence(_Value):
    """A competence a profile holds."""

    competence_id: CompetenceId
    level: Level
    evidence: Evidence = Field(Evidence.SELF_ASSESSED, description="What the level rests on.")


class TaughtCompetence(_Value):
    """A competence a training offer teaches, and the level it brings a participant to."""

    competence_id: CompetenceId
    level: Level
