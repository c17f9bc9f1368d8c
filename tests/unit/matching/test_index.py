"""The competence index and the compact competences of a profile."""

from __future__ import annotations

import pytest

from services.matching.domain.index import FLAT_LIMIT, CompetenceIndex, approx_km
from services.matching.domain.model import Held, HeldCompetences
from shared.events import Evidence
from tests.unit.matching.builders import GMP, PLANT, SAFETY, where

LEUNA, KIEL = where("06237")[:2], where("24103")[:2]


def test_scan_finds_holders_within_the_radius_flat_and_split() -> None:
    index = CompetenceIndex()
    # Enough GMP holders to split its postings by cell; PLANT stays flat.
    for slot in range(FLAT_LIMIT + 10):
        at = LEUNA if slot % 2 else KIEL
        index.add(slot, [GMP] + ([PLANT] if slot < 5 else []), *at)
    near = {s for _, slots in index.scan([GMP, PLANT], *LEUNA, 30) for s in slots}
    assert near == {s for s in range(FLAT_LIMIT + 10) if s % 2}
    bounds = [d for d, _ in index.scan([GMP], *LEUNA, 400)]
    assert bounds == sorted(bounds)
    assert bounds[-1] > 0.9 * approx_km(*LEUNA, *KIEL) - 20


def test_count_holders_and_remove() -> None:
    index = CompetenceIndex()
    for slot in range(FLAT_LIMIT + 3):
        index.add(slot, [GMP, SAFETY] if slot == 0 else [GMP], *LEUNA)
    assert index.count(GMP) == FLAT_LIMIT + 3
    assert index.holders([SAFETY]) == {0}
    index.remove(0, [GMP, SAFETY], *LEUNA)
    index.remove(0, [GMP], *LEUNA)  # twice changes nothing
    assert index.count(GMP) == FLAT_LIMIT + 2
    assert index.count(SAFETY) == 0
    assert 0 not in index.holders([GMP, SAFETY])


def test_held_competences_behave_like_a_mapping() -> None:
    held = {GMP: Held(3, Evidence.CERTIFIED), PLANT: Held(5, Evidence.SELF_ASSESSED)}
    compact = HeldCompetences(held)
    assert dict(compact) == held
    assert compact.get(SAFETY) is None
    assert GMP in compact
    assert SAFETY not in compact
    assert list(compact) == [GMP, PLANT]
    with pytest.raises(KeyError):
        compact[SAFETY]


def test_a_holder_just_beyond_the_radius_but_within_the_tolerance_is_found() -> None:
    # The vacancy's box ends just below a cell boundary; the holder lies just above it.
    lat = 51.0 - 10 / 111.2 - 0.001
    beyond = lat + 10.3 / 111.2
    index = CompetenceIndex()
    for slot in range(FLAT_LIMIT + 200):  # split, over many cells
        index.add(slot, [GMP], 48.0 + (slot % 40) * 0.2, 7.0 + (slot // 40) * 0.3)
    index.add(9999, [GMP], beyond, 12.0)
    found = {s for _, slots in index.scan([GMP], lat, 12.0, 10) for s in slots}
    assert 9999 in found
