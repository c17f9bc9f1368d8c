"""What can be imported: each kind's API body model, batch path and CSV columns."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel

from services.profiles.entrypoints.http.schemas.profiles import ProfileIn
from services.profiles.entrypoints.http.schemas.training_offers import TrainingOfferIn
from services.profiles.entrypoints.http.schemas.vacancies import VacancyIn


class Kind(StrEnum):
    """The three kinds an import file can hold."""

    VACANCIES = "vacancies"
    PROFILES = "profiles"
    TRAINING_OFFERS = "training-offers"


@dataclass(frozen=True, slots=True)
class KindSpec:
    """How a kind is checked and sent; CSV `nested` names the parts of each competence."""

    model: type[BaseModel]
    columns: tuple[str, ...]
    nested: tuple[str, ...]
    lists: tuple[str, ...] = ()


SPECS: dict[Kind, KindSpec] = {
    Kind.VACANCIES: KindSpec(
        VacancyIn,
        ("occupation", "competences", "postcode", "radius_km", "title", "kldb_code",
         "min_dqr_level", "start_date", "working_time", "openings"),
        ("competence_id", "min_level", "importance"),
    ),
    Kind.PROFILES: KindSpec(
        ProfileIn,
        ("occupations", "competences", "postcode", "radius_km", "dqr_level", "available_from",
         "working_time", "consent_given_at", "consent_scope", "reference"),
        ("competence_id", "level", "evidence"),
        lists=("occupations",),
    ),
    Kind.TRAINING_OFFERS: KindSpec(
        TrainingOfferIn,
        ("title", "competences", "duration_hours", "dqr_level", "postcode", "online",
         "start_dates", "funding_eligible"),
        ("competence_id", "level"),
        lists=("start_dates",),
    ),
}  # fmt: skip


def batch_path(kind: Kind) -> str:
    """Where the API takes a batch of this kind."""
    return f"/v1/batch/{kind.value}"
