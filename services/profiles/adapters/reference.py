"""Reference data the API validates against: postal codes, regions, competences, occupations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from shared.reference.competences import CompetenceCatalogue
from shared.reference.geo import PostcodeDirectory
from shared.reference.occupations import OccupationCatalogue
from shared.reference.regions import Regions


class Catalogue(Protocol):
    """Anything that answers `value in catalogue`."""

    def __contains__(self, value: object) -> bool: ...


class RegionDirectory(Protocol):
    """Regions (a hub's area) as sets of districts."""

    def __contains__(self, region_id: object) -> bool: ...

    def districts_of(self, region_ids: Iterable[str]) -> frozenset[str]:
        """District keys covered by the regions; KeyError for an unknown id."""
        ...


@dataclass(frozen=True)
class Reference:
    """Everything validation needs; unit tests pass small hand-written tables."""

    postcodes: PostcodeDirectory
    regions: RegionDirectory
    competences: Catalogue
    occupations: Catalogue


def load_reference() -> Reference:
    """Load the bundled reference data (reads files: call once at start-up)."""
    return Reference(
        postcodes=PostcodeDirectory.load(),
        regions=Regions.load(),
        competences=CompetenceCatalogue.load(),
        occupations=OccupationCatalogue.load(),
    )
