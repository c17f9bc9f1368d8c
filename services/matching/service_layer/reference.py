"""The reference data the matcher reads, through the interfaces of shared.reference.

The competence catalogue and the occupation–skill relations are optional: without
the catalogue no competence id is refused; without the relations no competence
counts as related to another.
"""

from __future__ import annotations

import importlib
from typing import Any

import structlog

from services.matching.domain.related import RelatedCompetences
from services.matching.service_layer.translate import Catalogue

log = structlog.get_logger("matching.reference")


def _load(module: str, cls: str) -> Any | None:
    try:
        loaded = getattr(importlib.import_module(module), cls).load()
    except (ImportError, AttributeError, FileNotFoundError) as exc:
        log.warning("reference data unavailable", module=module, error=str(exc))
        return None
    return loaded


def competence_catalogue(enabled: bool) -> Catalogue | None:
    """The catalogue that decides which competence ids are known, if checking is enabled."""
    if not enabled:
        return None
    catalogue: Catalogue | None = _load("shared.reference.competences", "CompetenceCatalogue")
    return catalogue


def related_competences() -> RelatedCompetences:
    """Related competences from the occupation–skill relations (empty without them)."""
    source = _load("shared.reference.occupation_skills", "OccupationSkills")
    if source is None:
        return RelatedCompetences()
    related = RelatedCompetences.from_relations(source)
    log.info("related competences computed", skills=len(related))
    return related
