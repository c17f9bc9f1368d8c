"""Check postings against the reference data: unknown values are named with their field."""

from __future__ import annotations

from collections.abc import Iterable

from services.profiles.adapters.reference import Reference
from services.profiles.domain.errors import UnknownReferenceError
from services.profiles.domain.model import ProfileDetails, VacancyDetails


def district_of(reference: Reference, postcode: str, field: str = "postcode") -> str | None:
    """The district of a known postal code; UnknownReferenceError otherwise."""
    place = reference.postcodes.lookup(postcode)
    if place is None:
        raise UnknownReferenceError(field, postcode, "postal code")
    return place.district_code


def check_regions(reference: Reference, region_ids: Iterable[str], field: str = "region") -> None:
    """Every region id must exist."""
    for region_id in region_ids:
        if region_id not in reference.regions:
            raise UnknownReferenceError(field, region_id, "region")


def _check_competences(reference: Reference, ids: Iterable[str], prefix: str) -> None:
    for i, competence_id in enumerate(ids):
        if competence_id not in reference.competences:
            field = f"{prefix}competences[{i}].competence_id"
            raise UnknownReferenceError(field, competence_id, "competence")


def _check_occupation(reference: Reference, occupation: str, field: str) -> None:
    if occupation not in reference.occupations:
        raise UnknownReferenceError(field, occupation, "occupation")


def check_vacancy(reference: Reference, details: VacancyDetails) -> str | None:
    """Validate a vacancy's references; return the district of its postal code."""
    _check_occupation(reference, details.occupation, "occupation")
    if details.kldb_code is not None:
        _check_occupation(reference, details.kldb_code, "kldb_code")
    _check_competences(reference, (c.competence_id for c in details.competences), "")
    return district_of(reference, details.postcode)


def check_profile(reference: Reference, details: ProfileDetails, prefix: str = "") -> str | None:
    """Validate a profile's references; return the district of its postal code."""
    for i, occupation in enumerate(details.occupations):
        _check_occupation(reference, occupation, f"{prefix}occupations[{i}]")
    _check_competences(reference, (c.competence_id for c in details.competences), prefix)
    return district_of(reference, details.postcode, f"{prefix}postcode")
