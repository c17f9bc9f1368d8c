"""Request bodies and regions of the test world (real catalogue ids)."""

from __future__ import annotations

import copy
from typing import Any

from deploy.hub.demo import CHEMIKANT, GMP, PLANT, PROFILE_NEARBY, VACANCY

REGION = "halle-saalekreis"  # districts 15002 Halle, 15088 Saalekreis (Leuna, Schkopau)
OTHER_REGION = "berlin"
KIEL = "24103"


def vacancy(**changes: Any) -> dict[str, Any]:
    """A vacancy in Leuna (region halle-saalekreis)."""
    return {**copy.deepcopy(VACANCY), **changes}


def profile(scope: str = "matching_and_agencies", **changes: Any) -> dict[str, Any]:
    """A job seeker's profile in Schkopau with consent of the given scope."""
    body = copy.deepcopy(PROFILE_NEARBY)
    body["consent"] = {"given_at": "2026-01-10T09:30:00+01:00", "scope": scope}
    return {**body, **changes}


def person(reference: str = "P-0042", **changes: Any) -> dict[str, Any]:
    """One person of a staff release."""
    return {**profile(), "reference": reference, **changes}


def release(*people: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A staff release at the Leuna site."""
    body = {
        "release_date": "2026-06-30",
        "transfer_window_end": "2026-09-30",
        "reason": "Closure of the Leuna site",
        "postcode": "06237",
        "people": list(people) or [person()],
    }
    return {**body, **changes}


__all__ = ["CHEMIKANT", "GMP", "KIEL", "OTHER_REGION", "PLANT", "REGION"]
