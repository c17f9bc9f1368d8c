"""SQL that removes an erased profile's data from the delivery ledger."""

from __future__ import annotations

from shared.events import MatchRetractedV1

# Rows that carry the profile: its pairs (pair_key `vacancy_id:profile_id`) or, for
# any other row, its id in the payload. Retractions stay whole: they carry only ids
# and tell receivers to forget the pair.
_CARRIES = f"""
(pair_key LIKE '%:' || $1 OR strpos(body::text, $1) > 0)
AND event_type <> '{MatchRetractedV1.event_type}'
"""
# Not yet sent: never send it.
DELETE_PENDING = f"DELETE FROM deliveries WHERE status = 'pending' AND {_CARRIES}"  # noqa: S608
# Sent or parked: the ledger row stays as the record of the delivery, without the data
# (a re-driven parked delivery sends only this marker).
BLANK_SENT = f"""
UPDATE deliveries SET body = '{{"erased": true}}'::json, last_error = NULL, updated_at = now()
WHERE status <> 'pending' AND {_CARRIES}
"""  # noqa: S608 -- only constant SQL fragments are interpolated
