"""The training catalogue as the matcher needs it: which offers teach a competence far enough."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from services.matching.domain.model import Offer, Profile
from shared.reference.geo import haversine_km


class OfferCatalogue:
    """Offers by competence; an offer is reachable when online or within the person's radius."""

    def __init__(self) -> None:
        self._offers: dict[UUID, Offer] = {}
        self._by_competence: dict[str, list[Offer]] = defaultdict(list)

    def get(self, offer_id: UUID) -> Offer | None:
        """The stored offer."""
        return self._offers.get(offer_id)

    def put(self, offer: Offer) -> None:
        """Add or replace an offer."""
        self.remove(offer.id)
        self._offers[offer.id] = offer
        for cid in offer.teaches:
            self._by_competence[cid].append(offer)
            self._by_competence[cid].sort(key=lambda o: (o.duration_hours, o.id))

    def remove(self, offer_id: UUID) -> None:
        """Forget an offer (withdrawn)."""
        old = self._offers.pop(offer_id, None)
        if old is None:
            return
        for cid in old.teaches:
            self._by_competence[cid] = [o for o in self._by_competence[cid] if o.id != offer_id]
            if not self._by_competence[cid]:
                del self._by_competence[cid]

    def teaching(self, competence_id: str, level: int, profile: Profile) -> list[Offer]:
        """Reachable offers teaching the competence to at least `level`, shortest first."""
        offers = self._by_competence.get(competence_id)
        if not offers:
            return []
        return [o for o in offers if o.teaches[competence_id] >= level and reachable(o, profile)]

    def teaches(self, competence_id: str, level: int, profile: Profile) -> bool:
        """Whether any reachable offer teaches the competence to `level`."""
        # Scoring asks this for every requirement a candidate does not hold, and most
        # competences have no offer at all: no generator is built for them.
        offers = self._by_competence.get(competence_id)
        if not offers:
            return False
        return any(o.teaches[competence_id] >= level and reachable(o, profile) for o in offers)

    def teaches_anywhere(self, competence_id: str, level: int) -> bool:
        """Whether any offer, reachable or not, teaches the competence to `level`."""
        offers = self._by_competence.get(competence_id)
        if not offers:
            return False
        return any(o.teaches[competence_id] >= level for o in offers)

    def __len__(self) -> int:
        return len(self._offers)


def reachable(offer: Offer, profile: Profile) -> bool:
    """Online, or on site within the person's mobility radius."""
    if offer.online or offer.lat is None or offer.lon is None:
        return offer.online
    return haversine_km(offer.lat, offer.lon, profile.lat, profile.lon) <= profile.radius_km + 0.5
